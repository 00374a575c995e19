"""The incident cluster rule of int_incident_components (docs/matching.md § Incidents), here and
not in the dbt Python model so that numba can cache what it compiles: dbt runs a Python model from
a temporary file, whose compiled loops numba cannot cache, and compiling them took ~6.5 s at every
build. numba caches beside this file (__pycache__), or under NUMBA_CACHE_DIR when set.

Single-link union-find lets a few wrong links chain different events at high density, so every
union is checked against both whole clusters (complete-link on the vetoes): it is refused when a
complaint of one side contradicts a complaint of the other (another known category_l3, another
street, spots that share nothing, coordinates further apart than ~150 m) or when the joined
cluster would span more than max_span_hours.

1. Strong links (same_address, same_landmark, same_road_near), strongest first.
2. A vague complaint's candidates vote for the clusters of step 1, each weighing
   0.5 ** (hours apart / vote_half_life_hours); it joins the cluster with at least vote_majority of
   the weight, through its best candidate there (rule vague_place_majority, score = the share).

Complaints are numbers 0..n - 1 (int_complaints_located's complaint_number - 1, in complaint_id
order, so the smallest number is the smallest id). The links are applied one by one (each union
depends on the ones before) and the votes counted per vague complaint, both in loops compiled by
numba over numpy arrays.
"""

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

STRONG_RULES = ("same_address", "same_landmark", "same_road_near")
RULES = (*STRONG_RULES, "vague_place_majority")  # a link's rule, by code
# a refusal's reason, by code (0: none)
REASONS = (None, "another_category_l3", "another_street", "another_spot", "coordinates_apart", "time_span")
MAX_COORDINATE_SPREAD = 0.0015  # degrees, ~150 m: the pairwise veto, now over a whole cluster


class IncidentClusters:
    """Union-find over complaint numbers, each root holding what a union must agree with: its known
    category_l3 and street (codes, -1 unknown: a cluster never holds two), its spot sets (a list of
    complaints whose spot sets differ, linked through spot_next), its time span (NaN: no time) and
    coordinate box. The links are applied by apply_links, compiled (numba): at the target scale
    33.7 M links and 14.8 M refusals, which took ~300 s as Python objects."""

    def __init__(self, category_l3, street, spot_offsets, spot_items, received_at, lat, lng, max_span_hours):
        size = len(category_l3)
        self.parent = np.arange(size, dtype=np.int64)
        self.category_l3 = np.asarray(category_l3, dtype=np.int64).copy()
        self.street = np.asarray(street, dtype=np.int64).copy()
        # complaint i's spot set is spot_items[spot_offsets[i]:spot_offsets[i + 1]], sorted codes
        self.spot_offsets, self.spot_items = np.asarray(spot_offsets, np.int64), np.asarray(spot_items, np.int64)
        self.spot_head = np.where(np.diff(self.spot_offsets) > 0, np.arange(size), -1).astype(np.int64)
        self.spot_next = np.full(size, -1, dtype=np.int64)
        self.first_at = np.asarray(received_at, dtype=np.float64).copy()
        self.last_at = self.first_at.copy()
        lat, lng = np.asarray(lat, dtype=np.float64), np.asarray(lng, dtype=np.float64)
        self.has_box = ~(np.isnan(lat) | np.isnan(lng))
        self.box = np.column_stack([lat, lat, lng, lng])
        self.max_span_seconds = float(max_span_hours * 3600)
        self.joined_rule = np.full(size, -1, dtype=np.int64)
        self.joined_score = np.full(size, np.nan)
        self.joined_other = np.full(size, -1, dtype=np.int64)
        self.refused = []  # (a, b, rule, score, reason) arrays, one per apply, in the order refused

    def link_all(self, a, b, rule, score):
        """Apply links (arrays: numbers a and b, rule code, score) in their order: each joins the two
        clusters unless they conflict (its reason recorded)."""
        a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
        rule, score = np.asarray(rule, np.int64), np.asarray(score, np.float64)
        refused_at = np.empty(len(a), dtype=np.int64)
        reason = np.empty(len(a), dtype=np.int64)
        n_refused = apply_links(
            a, b, rule, score, self.parent, self.category_l3, self.street, self.spot_offsets, self.spot_items,
            self.spot_head, self.spot_next, self.first_at, self.last_at, self.has_box, self.box,
            self.max_span_seconds, self.joined_rule, self.joined_score, self.joined_other, refused_at, reason,
        )  # fmt: skip
        refused_at = refused_at[:n_refused]
        self.refused.append((a[refused_at], b[refused_at], rule[refused_at], score[refused_at], reason[:n_refused]))

    def refused_columns(self):
        """Every refused link at both its complaints (at, other, rule, score, reason), by complaint
        number, each complaint's links in the order refused; rule and reason as Arrow strings."""
        a, b, rule, score, reason = (np.concatenate(column) for column in zip(*self.refused, strict=True))
        at, other = np.empty(2 * len(a), np.int64), np.empty(2 * len(a), np.int64)
        at[0::2], at[1::2], other[0::2], other[1::2] = a, b, b, a
        order = np.argsort(at, kind="stable")
        return (
            at[order],
            other[order],
            pa.array(RULES, pa.string()).take(pa.array(np.repeat(rule, 2)[order])),
            np.repeat(score, 2)[order],
            pa.array(REASONS, pa.string()).take(pa.array(np.repeat(reason, 2)[order])),
        )

    def roots(self):
        """Every complaint's root, by pointer jumping over the parent array."""
        roots = self.parent.copy()
        while True:
            jumped = roots[roots]
            if np.array_equal(jumped, roots):
                return roots
            roots = jumped


@numba.njit(cache=True)
def apply_links(
    a, b, rule, score, parent, category_l3, street, spot_offsets, spot_items, spot_head, spot_next,
    first_at, last_at, has_box, box, max_span_seconds, joined_rule, joined_score, joined_other, refused_at, reason,
):  # fmt: skip
    """The union-find loop: finds by path halving; a union checks both whole clusters (conflict),
    the smaller root survives, and each complaint keeps the first link that joined it. Writes the
    refused links' positions and reasons; returns how many."""
    n_refused = 0
    for k in range(len(a)):
        root_a, root_b = a[k], b[k]
        while parent[root_a] != root_a:
            parent[root_a] = parent[parent[root_a]]
            root_a = parent[root_a]
        while parent[root_b] != root_b:
            parent[root_b] = parent[parent[root_b]]
            root_b = parent[root_b]
        if root_a == root_b:
            continue
        found = conflict(
            root_a, root_b, category_l3, street, spot_offsets, spot_items, spot_head, spot_next,
            first_at, last_at, has_box, box, max_span_seconds,
        )  # fmt: skip
        if found:
            refused_at[n_refused], reason[n_refused] = k, found
            n_refused += 1
            continue
        if root_b < root_a:
            root_a, root_b = root_b, root_a
        parent[root_b] = root_a
        absorb(root_a, root_b, category_l3, street, spot_offsets, spot_items, spot_head, spot_next,
               first_at, last_at, has_box, box)  # fmt: skip
        for this, other in ((a[k], b[k]), (b[k], a[k])):
            if joined_rule[this] < 0:
                joined_rule[this], joined_score[this], joined_other[this] = rule[k], score[k], other
    return n_refused


@numba.njit(cache=True)
def conflict(
    x, y, category_l3, street, spot_offsets, spot_items, spot_head, spot_next, first_at, last_at, has_box, box,
    max_span_seconds,
):  # fmt: skip
    """The reason (a code of REASONS) the clusters of roots x and y cannot be one incident, or 0."""
    if category_l3[x] >= 0 and category_l3[y] >= 0 and category_l3[x] != category_l3[y]:
        return 1
    if street[x] >= 0 and street[y] >= 0 and street[x] != street[y]:
        return 2
    mine = spot_head[x]
    while mine >= 0:
        theirs = spot_head[y]
        while theirs >= 0:
            if spots_disjoint(spot_offsets, spot_items, mine, theirs):
                return 3
            theirs = spot_next[theirs]
        mine = spot_next[mine]
    if has_box[x] and has_box[y]:
        lat_spread = max(box[x, 1], box[y, 1]) - min(box[x, 0], box[y, 0])
        lng_spread = max(box[x, 3], box[y, 3]) - min(box[x, 2], box[y, 2])
        if max(lat_spread, lng_spread) > MAX_COORDINATE_SPREAD:
            return 4
    earliest, latest = np.inf, -np.inf
    for time in (first_at[x], last_at[x], first_at[y], last_at[y]):
        if not np.isnan(time):
            earliest, latest = min(earliest, time), max(latest, time)
    if latest >= earliest and latest - earliest > max_span_seconds:
        return 5
    return 0


@numba.njit(cache=True)
def absorb(x, y, category_l3, street, spot_offsets, spot_items, spot_head, spot_next, first_at, last_at, has_box, box):
    """Root x takes root y's cluster: its known category_l3 and street, the spot sets it lacks, the
    joined time span and coordinate box."""
    if category_l3[x] < 0:
        category_l3[x] = category_l3[y]
    if street[x] < 0:
        street[x] = street[y]
    theirs = spot_head[y]
    while theirs >= 0:
        following = spot_next[theirs]
        mine = spot_head[x]
        while mine >= 0 and not spots_equal(spot_offsets, spot_items, mine, theirs):
            mine = spot_next[mine]
        if mine < 0:  # a spot set x does not hold yet
            spot_next[theirs], spot_head[x] = spot_head[x], theirs
        theirs = following
    spot_head[y] = -1
    if np.isnan(first_at[x]) or first_at[y] < first_at[x]:
        first_at[x] = first_at[y]
    if np.isnan(last_at[x]) or last_at[y] > last_at[x]:
        last_at[x] = last_at[y]
    if has_box[x] and has_box[y]:
        box[x, 0], box[x, 1] = min(box[x, 0], box[y, 0]), max(box[x, 1], box[y, 1])
        box[x, 2], box[x, 3] = min(box[x, 2], box[y, 2]), max(box[x, 3], box[y, 3])
    elif has_box[y]:
        has_box[x], box[x, :] = True, box[y, :]


@numba.njit(cache=True)
def spots_disjoint(spot_offsets, spot_items, i, j):
    """Whether complaints i's and j's spot sets (sorted codes) share nothing."""
    mine, mine_end, theirs, theirs_end = spot_offsets[i], spot_offsets[i + 1], spot_offsets[j], spot_offsets[j + 1]
    while mine < mine_end and theirs < theirs_end:
        if spot_items[mine] == spot_items[theirs]:
            return False
        if spot_items[mine] < spot_items[theirs]:
            mine += 1
        else:
            theirs += 1
    return True


@numba.njit(cache=True)
def spots_equal(spot_offsets, spot_items, i, j):
    """Whether complaints i's and j's spot sets are the same set."""
    return np.array_equal(
        spot_items[spot_offsets[i] : spot_offsets[i + 1]], spot_items[spot_offsets[j] : spot_offsets[j + 1]]
    )


def vague_votes(roots, vague, other, hours, score, half_life_hours, majority):
    """Each vague complaint's link to the cluster holding a majority of its weighted candidates:
    [(share, vague, partner)], strongest first. One array row per (vague complaint, candidate), a
    vague complaint's rows in the order they were read (weights are summed in that order)."""
    vague, other = np.asarray(vague, np.int64), np.asarray(other, np.int64)
    hours, score = np.asarray(hours, np.float64), np.asarray(score, np.float64)
    # a vague complaint's rows together, in read order (a stable counting sort)
    starts = offsets(vague, len(roots))
    rows = rows_by_voter(vague, starts)
    share, partner = count_votes(roots, vague[rows], other[rows], hours[rows], score[rows], starts, half_life_hours)
    voters = np.flatnonzero(share >= majority)
    links = [
        (round(share_, 4), vague_id, partner_)
        for share_, vague_id, partner_ in zip(
            share[voters].tolist(), voters.tolist(), partner[voters].tolist(), strict=True
        )
    ]
    links.sort(key=lambda link: (-link[0], link[1], link[2]))
    return links


@numba.njit(cache=True)
def rows_by_voter(vague, starts):
    """The rows in vague complaint order, each one's rows in read order (starts: its first row)."""
    rows, filled = np.empty(len(vague), np.int64), starts[:-1].copy()
    for row in range(len(vague)):
        rows[filled[vague[row]]] = row
        filled[vague[row]] += 1
    return rows


@numba.njit(cache=True)
def count_votes(roots, vague, other, hours, score, starts, half_life_hours):
    """For each complaint (rows starts[i]:starts[i + 1], its votes in read order): the share of its
    heaviest other cluster (NaN: no vote) and the partner there. A vote weighs
    0.5 ** (hours / half_life_hours), summed per cluster in read order; the total adds the clusters
    in the order they first appear; the heaviest cluster wins, ties to the smallest; the partner is
    its best candidate (score, then nearest in time, then smallest number)."""
    size = len(starts) - 1
    share, partner = np.full(size, np.nan), np.full(size, -1, np.int64)
    longest = np.max(np.diff(starts)) if size else 0
    clusters, weights = np.empty(longest, np.int64), np.empty(longest)  # one complaint's, reused
    for voter in range(size):
        n_clusters = 0
        for row in range(starts[voter], starts[voter + 1]):
            cluster = roots[other[row]]
            if cluster == roots[voter]:
                continue
            slot = 0
            while slot < n_clusters and clusters[slot] != cluster:
                slot += 1
            if slot == n_clusters:
                clusters[slot], weights[slot] = cluster, 0.0
                n_clusters += 1
            weights[slot] += 0.5 ** (hours[row] / half_life_hours)
        if n_clusters == 0:
            continue
        total, best = 0.0, 0
        for slot in range(n_clusters):
            total += weights[slot]
            if weights[slot] > weights[best] or (weights[slot] == weights[best] and clusters[slot] < clusters[best]):
                best = slot
        share[voter] = weights[best] / total
        chosen = -1
        for row in range(starts[voter], starts[voter + 1]):
            if roots[other[row]] != clusters[best]:
                continue
            if (
                chosen < 0
                or score[row] > score[chosen]
                or (score[row] == score[chosen] and hours[row] < hours[chosen])
                or (score[row] == score[chosen] and hours[row] == hours[chosen] and other[row] < other[chosen])
            ):
                chosen = row
        partner[voter] = other[chosen]
    return share, partner


def cluster_incidents(complaints, strong_links, candidates, max_span_hours, half_life_hours, majority):
    """complaints: complaint_columns() by complaint number; strong_links: arrays (a, b, rule code,
    score) by number, strongest first; candidates: arrays (vague, other, hours apart, score), one
    row per vote. Returns the IncidentClusters."""
    clusters = IncidentClusters(*complaints, max_span_hours)
    clusters.link_all(*strong_links)
    votes = vague_votes(clusters.roots(), *candidates, half_life_hours, majority)
    share, vague, partner = (np.array(column) for column in zip(*votes, strict=True)) if votes else ([], [], [])
    clusters.link_all(vague, partner, np.full(len(vague), RULES.index("vague_place_majority")), share)
    return clusters


def complaint_columns(category_l3, street, spots, received_at, lat, lng):
    """What the clusters read of each complaint, as numpy arrays by complaint number (Arrow arrays
    in, one row per complaint): category_l3 and street as codes (-1 unknown), the spot sets as
    sorted codes with offsets by complaint, received_at (epoch seconds), lat and lng (NaN
    unknown)."""
    size = len(category_l3)
    owner = pc.list_parent_indices(spots).to_numpy().astype(np.int64)
    codes = pc.list_flatten(spots).dictionary_encode().indices.to_numpy().astype(np.int64)
    order = np.lexsort((codes, owner))
    owner, codes = owner[order], codes[order]
    distinct = np.ones(len(owner), bool)
    distinct[1:] = (owner[1:] != owner[:-1]) | (codes[1:] != codes[:-1])
    owner, codes = owner[distinct], codes[distinct]
    return (
        pc.fill_null(category_l3.dictionary_encode().indices, -1).to_numpy(),
        pc.fill_null(street.dictionary_encode().indices, -1).to_numpy(),
        offsets(owner, size),
        codes,
        received_at.to_numpy(zero_copy_only=False).astype(np.float64),
        lat.to_numpy(zero_copy_only=False).astype(np.float64),
        lng.to_numpy(zero_copy_only=False).astype(np.float64),
    )


def cluster_incidents_by_id(complaints, strong_links, candidates, max_span_hours, half_life_hours, majority):
    """cluster_incidents keyed by complaint_id: complaints: id -> (category_l3, street, spots,
    received_at epoch s, lat, lng); strong_links: (a, b, rule, score); candidates: vague id ->
    [(id, score, hours)]. Rows (complaint_id, component_key, match_rule, match_score,
    matched_complaint_id, refused links)."""
    ids = sorted(complaints)
    number = {complaint_id: position for position, complaint_id in enumerate(ids)}
    category_l3, street, spots, received_at, lat, lng = zip(
        *(complaints[complaint_id] for complaint_id in ids), strict=True
    )
    columns = complaint_columns(
        pa.array(category_l3, pa.string()),
        pa.array(street, pa.string()),
        pa.array(spots, pa.list_(pa.string())),
        pa.array(received_at, pa.float64()),
        pa.array(lat, pa.float64()),
        pa.array(lng, pa.float64()),
    )
    links = [(number[a], number[b], RULES.index(rule), score) for a, b, rule, score in strong_links]
    votes = [
        (number[vague_id], number[other], hours, score)
        for vague_id, rows in candidates.items()
        for other, score, hours in rows
    ]
    clusters = cluster_incidents(
        columns,
        [np.array(column) for column in zip(*links, strict=True)] if links else [np.array([], np.int64)] * 4,
        [np.array(column) for column in zip(*votes, strict=True)] if votes else [np.array([], np.int64)] * 4,
        max_span_hours,
        half_life_hours,
        majority,
    )
    refused = {}
    for at, other_id, rule_, score_, reason in zip(
        *(column.tolist() for column in clusters.refused_columns()), strict=True
    ):
        refused.setdefault(at, []).append(
            {"complaint_id": ids[other_id], "match_rule": rule_, "match_score": score_, "reason": reason}
        )
    rows = []
    for position, root in enumerate(clusters.roots().tolist()):
        rule_code = clusters.joined_rule[position]
        joined = (
            (RULES[rule_code], float(clusters.joined_score[position]), ids[clusters.joined_other[position]])
            if rule_code >= 0
            else (None, None, None)
        )
        rows.append((ids[position], ids[root], *joined, refused.get(position, [])))
    return rows


def offsets(numbers, size):
    """Where each number's rows start (and the last ends) once rows are grouped by number in
    0..size - 1: size + 1 offsets."""
    return np.concatenate([[0], np.cumsum(np.bincount(numbers, minlength=size))])
