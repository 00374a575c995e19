"""Transitive closure of the incident links between complaints: connected components by union-find.

The component is named by its smallest complaint_id; int_incidents_clustered chooses the anchor.
"""

import pyarrow as pa


def union_find_components(keys, links):
    parent = {key: key for key in keys}

    def find(key):
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    for a, b in links:
        if a in parent and b in parent:
            root_a, root_b = find(a), find(b)
            if root_a != root_b:
                parent[root_b] = root_a
    components = {}
    for key in parent:
        components.setdefault(find(key), []).append(key)
    return [(key, min(members)) for members in components.values() for key in members]


def model(dbt, session):
    dbt.config(materialized="table")
    complaint_ids = [row[0] for row in dbt.ref("int_complaints_survived").project("complaint_id").fetchall()]
    links = (
        dbt.ref("int_incident_pairs")
        .filter("is_match")
        .order("match_score desc, complaint_id_a, complaint_id_b")
        .project("complaint_id_a, complaint_id_b")
        .fetchall()
    )
    rows = union_find_components(complaint_ids, links)
    columns = list(zip(*rows, strict=True)) if rows else [[], []]
    return pa.table(
        {
            "complaint_id": pa.array(columns[0], pa.string()),
            "component_key": pa.array(columns[1], pa.string()),
        }
    )
