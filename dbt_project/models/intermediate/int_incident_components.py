"""Incidents from the incident links, with a cluster-level check (docs/matching.md § Incidents).

Single-link union-find lets a few wrong links chain different events at high density, so every
union is checked against both whole clusters (complete-link on the vetoes): it is refused when a
complaint of one side contradicts a complaint of the other (another known category_l3, another
street, spots that share nothing, coordinates further apart than ~150 m) or when the joined
cluster would span more than max_span_hours.

1. Strong links (same_address, same_landmark, same_road_near), strongest first.
2. A vague complaint's candidates vote for the clusters of step 1, each weighing
   0.5 ** (hours apart / vote_half_life_hours); it joins the cluster with at least vote_majority of
   the weight, through its best candidate there (rule vague_place_majority, score = the share).

One row per complaint: its component (named by its smallest complaint_id; int_incidents_clustered
chooses the anchor), the link that joined it (rule, score, the other complaint) and the links that
touched it but were refused, with the reason.

Complaints are numbered in complaint_id order (so the smallest number is the smallest id) and read
through Arrow; the links are applied one by one (each union depends on the ones before), but a
cluster's summary is only built when a union reaches it, and the votes are counted with numpy.
"""

from array import array

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

STRONG_RULES = ("same_address", "same_landmark", "same_road_near")
MAX_COORDINATE_SPREAD = 0.0015  # degrees, ~150 m: the pairwise veto, now over a whole cluster
REFUSED_LINK = pa.struct(
    [("complaint_id", pa.string()), ("match_rule", pa.string()), ("match_score", pa.float64()), ("reason", pa.string())]
)


class Cluster:
    """What a union must agree with: its known l3 and street (a cluster never holds two), its spot
    sets, time span and coordinate box."""

    __slots__ = ("box", "category_l3", "first_at", "last_at", "spot_sets", "street")

    def __init__(self, category_l3, street, spots, received_at, lat, lng):
        self.category_l3 = category_l3
        self.street = street
        self.spot_sets = {frozenset(spots)} if spots else set()
        self.first_at = self.last_at = received_at
        self.box = (lat, lat, lng, lng) if lat is not None and lng is not None else None

    def conflict(self, other, max_span_seconds):
        """The reason the two clusters cannot be one incident, or None."""
        if self.category_l3 is not None and other.category_l3 is not None and self.category_l3 != other.category_l3:
            return "another_category_l3"
        if self.street is not None and other.street is not None and self.street != other.street:
            return "another_street"
        if any(not (mine & theirs) for mine in self.spot_sets for theirs in other.spot_sets):
            return "another_spot"
        if self.box and other.box:
            lat_low, lat_high = min(self.box[0], other.box[0]), max(self.box[1], other.box[1])
            lng_low, lng_high = min(self.box[2], other.box[2]), max(self.box[3], other.box[3])
            if max(lat_high - lat_low, lng_high - lng_low) > MAX_COORDINATE_SPREAD:
                return "coordinates_apart"
        times = [t for t in (self.first_at, self.last_at, other.first_at, other.last_at) if t is not None]
        if times and max(times) - min(times) > max_span_seconds:
            return "time_span"
        return None

    def absorb(self, other):
        if self.category_l3 is None:
            self.category_l3 = other.category_l3
        if self.street is None:
            self.street = other.street
        self.spot_sets |= other.spot_sets
        firsts = [t for t in (self.first_at, other.first_at) if t is not None]
        lasts = [t for t in (self.last_at, other.last_at) if t is not None]
        self.first_at, self.last_at = (min(firsts), max(lasts)) if firsts else (None, None)
        if self.box and other.box:
            self.box = (
                min(self.box[0], other.box[0]),
                max(self.box[1], other.box[1]),
                min(self.box[2], other.box[2]),
                max(self.box[3], other.box[3]),
            )
        else:
            self.box = self.box or other.box


class RefusedLinks:
    """Every refused link at both its complaints, in the order refused, held in columns
    (array.array): at the target scale there are tens of millions, and as Python tuples they took
    ~200 bytes each."""

    def __init__(self):
        self.at, self.other, self.score = array("q"), array("q"), array("d")
        self.rule, self.reason = array("B"), array("B")
        self.rule_codes, self.reason_codes = {}, {}

    def add(self, a, b, rule, score, reason):
        rule_code = self.rule_codes.setdefault(rule, len(self.rule_codes))
        reason_code = self.reason_codes.setdefault(reason, len(self.reason_codes))
        for this, other in ((a, b), (b, a)):
            self.at.append(this)
            self.other.append(other)
            self.score.append(score)
            self.rule.append(rule_code)
            self.reason.append(reason_code)

    def columns(self):
        """(at, other, rule, score, reason): numpy arrays by complaint number, each complaint's
        links in the order refused; rule and reason as Arrow strings."""
        order = np.argsort(np.array(self.at, dtype=np.int64), kind="stable")
        return (
            np.array(self.at, dtype=np.int64)[order],
            np.array(self.other, dtype=np.int64)[order],
            pa.array(list(self.rule_codes), pa.string()).take(pa.array(np.array(self.rule, dtype=np.int64)[order])),
            np.array(self.score, dtype=np.float64)[order],
            pa.array(list(self.reason_codes), pa.string()).take(pa.array(np.array(self.reason, dtype=np.int64)[order])),
        )


class IncidentClusters:
    """Union-find over complaint numbers; a root's Cluster is built the first time a union reaches it."""

    def __init__(self, complaints, max_span_hours):
        self.complaints = complaints
        self.parent = list(range(len(complaints)))
        self.clusters = {}
        self.max_span_seconds = max_span_hours * 3600
        self.joined_by = {}
        self.refused = RefusedLinks()

    def find(self, key):
        parent = self.parent
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    def cluster(self, root):
        found = self.clusters.get(root)
        if found is None:
            found = self.clusters[root] = Cluster(*self.complaints[root])
        return found

    def link(self, a, b, rule, score):
        """Apply one link: join the two clusters unless they conflict. Returns whether they are one."""
        root_a, root_b = self.find(a), self.find(b)
        return root_a == root_b or self.join(a, b, root_a, root_b, rule, score)

    def link_all(self, links):
        """link() over many links (a, b, rule, score), with the finds inlined (path halving): most
        links join complaints already together, and this loop is what the model spends its time on."""
        parent = self.parent
        for a, b, rule, score in links:
            root_a, root_b = a, b
            while parent[root_a] != root_a:
                parent[root_a] = root_a = parent[parent[root_a]]
            while parent[root_b] != root_b:
                parent[root_b] = root_b = parent[parent[root_b]]
            if root_a != root_b:
                self.join(a, b, root_a, root_b, rule, score)

    def join(self, a, b, root_a, root_b, rule, score):
        """Join the clusters of two roots unless they conflict; record the link either way."""
        reason = self.cluster(root_a).conflict(self.cluster(root_b), self.max_span_seconds)
        if reason:
            self.refused.add(a, b, rule, score, reason)
            return False
        if root_b < root_a:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.cluster(root_a).absorb(self.clusters.pop(root_b))
        for this, other in ((a, b), (b, a)):
            self.joined_by.setdefault(this, (rule, score, other))
        return True

    def roots(self):
        """Every complaint's root, by pointer jumping over the parent array."""
        roots = np.asarray(self.parent, dtype=np.int64)
        while True:
            jumped = roots[roots]
            if np.array_equal(jumped, roots):
                return roots
            roots = jumped


def vague_votes(roots, vague, other, hours, score, half_life_hours, majority):
    """Each vague complaint's link to the cluster holding a majority of its weighted candidates:
    [(share, vague, partner)], strongest first. One array row per (vague complaint, candidate), a
    vague complaint's rows in the order they were read (weights are summed in that order)."""
    order = np.argsort(vague, kind="stable")
    vague, other, hours, score = vague[order], other[order], hours[order], score[order]
    cluster = roots[other]
    votes = cluster != roots[vague]
    vague, other, hours, score, cluster = vague[votes], other[votes], hours[votes], score[votes], cluster[votes]
    if not len(vague):
        return []
    # Python's float power on the distinct hours apart (whole seconds: few), so a weight is the
    # very float the rule defines
    distinct_hours, position = np.unique(hours, return_inverse=True)
    weight = np.array([0.5 ** (hours_apart / half_life_hours) for hours_apart in distinct_hours.tolist()])[position]
    # (vague complaint, cluster) groups, sorted by both; their weights summed in row order
    size = len(roots)
    keys, first_row, group = np.unique(vague * size + cluster, return_index=True, return_inverse=True)
    group_weight = np.bincount(group, weights=weight)
    group_vague, group_cluster = keys // size, keys % size
    voters, group_start = np.unique(group_vague, return_index=True)
    group_end = np.append(group_start[1:], len(keys))
    # a vague complaint's total: its clusters' weights added in the order the clusters first appear
    by_appearance = group_weight[np.lexsort((first_row, group_vague))].tolist()
    totals = [
        sum(by_appearance[start:end]) for start, end in zip(group_start.tolist(), group_end.tolist(), strict=True)
    ]
    # its best cluster: the heaviest, ties to the smallest
    best = np.lexsort((group_cluster, -group_weight, group_vague))[group_start]
    best_cluster = group_cluster[best]
    shares = [best_weight / total for best_weight, total in zip(group_weight[best].tolist(), totals, strict=True)]
    # its partner there: the best candidate (score, then nearest in time, then smallest id)
    voter = np.searchsorted(voters, vague)
    in_best = np.flatnonzero(cluster == best_cluster[voter])
    ranked = in_best[np.lexsort((other[in_best], hours[in_best], -score[in_best], vague[in_best]))]
    first = np.append(True, vague[ranked][1:] != vague[ranked][:-1])
    partners = other[ranked[first]].tolist()
    links = [
        (round(share, 4), vague_id, partner)
        for share, vague_id, partner in zip(shares, voters.tolist(), partners, strict=True)
        if share >= majority
    ]
    links.sort(key=lambda link: (-link[0], link[1], link[2]))
    return links


def cluster_incidents(complaints, strong_links, candidates, max_span_hours, half_life_hours, majority):
    """complaints: (category_l3, street, spots, received_at epoch s, lat, lng) by complaint number;
    strong_links: (a, b, rule, score) by number, strongest first; candidates: arrays
    (vague, other, hours apart, score), one row per vote. Returns the IncidentClusters."""
    clusters = IncidentClusters(complaints, max_span_hours)
    clusters.link_all(strong_links)
    for share, vague_id, partner in vague_votes(clusters.roots(), *candidates, half_life_hours, majority):
        clusters.link(vague_id, partner, "vague_place_majority", share)
    return clusters


def cluster_incidents_by_id(complaints, strong_links, candidates, max_span_hours, half_life_hours, majority):
    """cluster_incidents keyed by complaint_id: complaints: id -> attributes; strong_links:
    (a, b, rule, score); candidates: vague id -> [(id, score, hours)]. Rows (complaint_id,
    component_key, match_rule, match_score, matched_complaint_id, refused links)."""
    ids = sorted(complaints)
    number = {complaint_id: position for position, complaint_id in enumerate(ids)}
    votes = [
        (number[vague_id], number[other], hours, score)
        for vague_id, rows in candidates.items()
        for other, score, hours in rows
    ]
    vote_columns = [np.array(column) for column in zip(*votes, strict=True)] if votes else [np.array([], np.int64)] * 4
    clusters = cluster_incidents(
        [complaints[complaint_id] for complaint_id in ids],
        [(number[a], number[b], rule, score) for a, b, rule, score in strong_links],
        vote_columns,
        max_span_hours,
        half_life_hours,
        majority,
    )
    refused = {}
    for at, other_id, rule_, score_, reason in zip(
        *(column.tolist() for column in clusters.refused.columns()), strict=True
    ):
        refused.setdefault(at, []).append(
            {"complaint_id": ids[other_id], "match_rule": rule_, "match_score": score_, "reason": reason}
        )
    rows = []
    for position, root in enumerate(clusters.roots().tolist()):
        rule, score, other = clusters.joined_by.get(position, (None, None, None))
        rows.append(
            (ids[position], ids[root], rule, score, None if other is None else ids[other], refused.get(position, []))
        )
    return rows


def numbered(ids, values):
    """The complaint numbers of complaint ids (null when not a complaint)."""
    return pc.index_in(values, value_set=ids)


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.config.get("meta")
    complaints = (
        dbt.ref("int_complaints_survived")
        .project("complaint_id, category_l3, street, epoch(received_at) as received_at, lat, lng")
        .order("complaint_id")
        .fetch_arrow_table()
    )
    ids = complaints["complaint_id"].combine_chunks()
    pairs = dbt.ref("int_incident_pairs")  # only pairs with a rule: links and votes
    spots_a = pairs.filter("len(spots_a) > 0").project("complaint_id_a as complaint_id, spots_a as spots")
    spots_b = pairs.filter("len(spots_b) > 0").project("complaint_id_b as complaint_id, spots_b as spots")
    spotted = spots_a.union(spots_b).distinct().fetch_arrow_table()
    spots = [None] * len(ids)
    for position, complaint_spots in zip(
        numbered(ids, spotted["complaint_id"]).to_pylist(), spotted["spots"].to_pylist(), strict=True
    ):
        if position is not None:
            spots[position] = complaint_spots
    attributes = list(
        zip(
            complaints["category_l3"].to_pylist(),
            complaints["street"].to_pylist(),
            spots,
            complaints["received_at"].to_pylist(),
            complaints["lat"].to_pylist(),
            complaints["lng"].to_pylist(),
            strict=True,
        )
    )

    clusters = cluster_incidents(
        attributes,
        strong_links(pairs, ids),
        vote_arrays(pairs, ids),
        settings["max_span_hours"],
        settings["vote_half_life_hours"],
        settings["vote_majority"],
    )
    return incident_table(ids, clusters)


def strong_links(pairs, ids, chunk_size=1 << 20):
    """The strong links (a, b, rule, score) by complaint number, strongest first: score, then
    nearest in time, then ids (numbers sort as the ids do). Held as numpy arrays and made Python
    objects a chunk at a time: at the target scale, 32 M links as Python lists took ~4 GB."""
    strong = (
        pairs.filter("is_match").project("complaint_id_a, complaint_id_b, match_rule, match_score, hours_apart")
    ).fetch_arrow_table()
    a, b = numbered(ids, strong["complaint_id_a"]), numbered(ids, strong["complaint_id_b"])
    both = pc.and_(pc.is_valid(a), pc.is_valid(b))
    strong = strong.filter(both)
    a, b = a.filter(both).to_numpy(), b.filter(both).to_numpy()
    score = strong["match_score"].to_numpy()
    order = np.lexsort((b, a, strong["hours_apart"].to_numpy(), -score))
    rules = strong["match_rule"].combine_chunks().dictionary_encode()
    rule_names, rule_codes = rules.dictionary.to_pylist(), rules.indices.to_numpy()
    del strong, rules
    for start in range(0, len(order), chunk_size):
        rows = order[start : start + chunk_size]
        yield from zip(
            a[rows].tolist(),
            b[rows].tolist(),
            [rule_names[code] for code in rule_codes[rows].tolist()],
            score[rows].tolist(),
            strict=True,
        )


def vote_arrays(pairs, ids):
    """The votes of vague complaints, one row per (vague complaint, candidate): numpy arrays
    (vague number, candidate number, hours apart, score), a vague complaint's rows in read order."""
    candidates = (
        pairs.filter("match_rule = 'vague_place_candidate'")
        .project("complaint_id_a, complaint_id_b, is_vague_a, is_vague_b, match_score, hours_apart")
        .fetch_arrow_table()
    )
    a, b = numbered(ids, candidates["complaint_id_a"]), numbered(ids, candidates["complaint_id_b"])
    both = pc.and_(pc.is_valid(a), pc.is_valid(b))
    votes = []
    for vague, other, is_vague in ((a, b, "is_vague_a"), (b, a, "is_vague_b")):
        voting = pc.and_(both, candidates[is_vague]).combine_chunks()
        votes.append(
            [
                vague.filter(voting).to_numpy().astype(np.int64),
                other.filter(voting).to_numpy().astype(np.int64),
                candidates["hours_apart"].filter(voting).to_numpy(),
                candidates["match_score"].filter(voting).to_numpy(),
            ]
        )
    return [np.concatenate(columns) for columns in zip(*votes, strict=True)]


def incident_table(ids, clusters):
    """One row per complaint: its component key, the link that joined it, the links refused at it."""
    size = len(ids)
    rules, scores, others = [None] * size, [None] * size, [None] * size
    for position, (rule, score, other) in clusters.joined_by.items():
        rules[position], scores[position], others[position] = rule, score, other
    at, other, rule, score, reason = clusters.refused.columns()
    refused_links = pa.ListArray.from_arrays(
        pa.array(np.concatenate([[0], np.cumsum(np.bincount(at, minlength=size))]), pa.int32()),
        pa.StructArray.from_arrays(
            [ids.take(pa.array(other)), rule, pa.array(score, pa.float64()), reason],
            fields=list(REFUSED_LINK),
        ),
    )
    return pa.table(
        {
            "complaint_id": ids,
            "component_key": ids.take(pa.array(clusters.roots())),
            "match_rule": pa.array(rules, pa.string()),
            "match_score": pa.array(scores, pa.float64()),
            "matched_complaint_id": ids.take(pa.array(others, pa.int64())),
            "refused_links": refused_links,
        }
    )
