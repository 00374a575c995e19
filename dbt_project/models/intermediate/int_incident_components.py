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
"""

import pyarrow as pa

STRONG_RULES = ("same_address", "same_landmark", "same_road_near")
MAX_COORDINATE_SPREAD = 0.0015  # degrees, ~150 m: the pairwise veto, now over a whole cluster


class Cluster:
    """What a union must agree with: known l3s and streets, spot sets, time span, coordinate box."""

    __slots__ = ("box", "category_l3", "first_at", "last_at", "spot_sets", "street")

    def __init__(self, category_l3, street, spots, received_at, lat, lng):
        self.category_l3 = {category_l3} - {None}
        self.street = {street} - {None}
        self.spot_sets = {frozenset(spots)} if spots else set()
        self.first_at = self.last_at = received_at
        self.box = (lat, lat, lng, lng) if lat is not None and lng is not None else None

    def conflict(self, other, max_span_seconds):
        """The reason the two clusters cannot be one incident, or None."""
        if self.category_l3 and other.category_l3 and self.category_l3 != other.category_l3:
            return "another_category_l3"
        if self.street and other.street and self.street != other.street:
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
        self.category_l3 |= other.category_l3
        self.street |= other.street
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


class IncidentClusters:
    def __init__(self, complaints, max_span_hours):
        self.parent = {complaint_id: complaint_id for complaint_id in complaints}
        self.clusters = {complaint_id: Cluster(*attributes) for complaint_id, attributes in complaints.items()}
        self.max_span_seconds = max_span_hours * 3600
        self.joined_by = {}
        self.refused = {}

    def find(self, key):
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def link(self, a, b, rule, score):
        """Apply one link: join the two clusters unless they conflict. Returns whether they are one."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        reason = self.clusters[root_a].conflict(self.clusters[root_b], self.max_span_seconds)
        if reason:
            for this, other in ((a, b), (b, a)):
                self.refused.setdefault(this, []).append(
                    {"complaint_id": other, "match_rule": rule, "match_score": score, "reason": reason}
                )
            return False
        if root_b < root_a:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.clusters[root_a].absorb(self.clusters.pop(root_b))
        for this, other in ((a, b), (b, a)):
            self.joined_by.setdefault(this, (rule, score, other))
        return True


def vague_votes(candidates, find, half_life_hours, majority):
    """Each vague complaint's link to the cluster holding a majority of its weighted candidates."""
    links = []
    for vague_id, rows in sorted(candidates.items()):
        own = find(vague_id)
        weights = {}
        for candidate_id, _score, hours_apart in rows:
            cluster = find(candidate_id)
            if cluster != own:
                weights[cluster] = weights.get(cluster, 0.0) + 0.5 ** (hours_apart / half_life_hours)
        if not weights:
            continue
        best_cluster, best_weight = min(weights.items(), key=lambda item: (-item[1], item[0]))
        share = best_weight / sum(weights.values())
        if share >= majority:
            partner = min(
                (row for row in rows if find(row[0]) == best_cluster), key=lambda row: (-row[1], row[2], row[0])
            )[0]
            links.append((round(share, 4), vague_id, partner))
    links.sort(key=lambda link: (-link[0], link[1], link[2]))
    return links


def cluster_incidents(complaints, strong_links, candidates, max_span_hours, half_life_hours, majority):
    """complaints: id -> (category_l3, street, spots, received_at epoch s, lat, lng);
    strong_links: (a, b, rule, score), strongest first; candidates: vague id -> [(id, score, hours)]."""
    clusters = IncidentClusters(complaints, max_span_hours)
    for a, b, rule, score in strong_links:
        clusters.link(a, b, rule, score)
    for share, vague_id, partner in vague_votes(candidates, clusters.find, half_life_hours, majority):
        clusters.link(vague_id, partner, "vague_place_majority", share)
    components = {}
    for key in clusters.parent:
        components.setdefault(clusters.find(key), []).append(key)
    rows = []
    for members in components.values():
        component_key = min(members)
        for key in members:
            rule, score, other = clusters.joined_by.get(key, (None, None, None))
            rows.append((key, component_key, rule, score, other, clusters.refused.get(key, [])))
    return rows


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.config.get("meta")
    complaints = {
        complaint_id: [category_l3, street, None, received_at, lat, lng]
        for complaint_id, category_l3, street, received_at, lat, lng in dbt.ref("int_complaints_survived")
        .project("complaint_id, category_l3, street, epoch(received_at), lat, lng")
        .fetchall()
    }
    pairs = dbt.ref("int_incident_pairs").filter("match_rule is not null")
    spots_a = pairs.filter("len(spots_a) > 0").project("complaint_id_a as complaint_id, spots_a as spots")
    spots_b = pairs.filter("len(spots_b) > 0").project("complaint_id_b as complaint_id, spots_b as spots")
    for complaint_id, spots in spots_a.union(spots_b).distinct().fetchall():
        if complaint_id in complaints:
            complaints[complaint_id][2] = spots
    strong_links = (
        pairs.filter("is_match")
        .order("match_score desc, hours_apart, complaint_id_a, complaint_id_b")
        .project("complaint_id_a, complaint_id_b, match_rule, match_score")
        .fetchall()
    )
    candidates = {}
    for a, b, is_vague_a, is_vague_b, score, hours_apart in (
        pairs.filter("match_rule = 'vague_place_candidate'")
        .project("complaint_id_a, complaint_id_b, is_vague_a, is_vague_b, match_score, hours_apart")
        .fetchall()
    ):
        if is_vague_a:
            candidates.setdefault(a, []).append((b, score, hours_apart))
        if is_vague_b:
            candidates.setdefault(b, []).append((a, score, hours_apart))
    rows = cluster_incidents(
        {key: tuple(value) for key, value in complaints.items()},
        [link for link in strong_links if link[0] in complaints and link[1] in complaints],
        {key: [row for row in rows if row[0] in complaints] for key, rows in candidates.items() if key in complaints},
        settings["max_span_hours"],
        settings["vote_half_life_hours"],
        settings["vote_majority"],
    )
    columns = list(zip(*rows, strict=True)) if rows else [[]] * 6
    refused_type = pa.list_(
        pa.struct(
            [
                ("complaint_id", pa.string()),
                ("match_rule", pa.string()),
                ("match_score", pa.float64()),
                ("reason", pa.string()),
            ]
        )
    )
    return pa.table(
        {
            "complaint_id": pa.array(columns[0], pa.string()),
            "component_key": pa.array(columns[1], pa.string()),
            "match_rule": pa.array(columns[2], pa.string()),
            "match_score": pa.array(columns[3], pa.float64()),
            "matched_complaint_id": pa.array(columns[4], pa.string()),
            "refused_links": pa.array(columns[5], refused_type),
        }
    )
