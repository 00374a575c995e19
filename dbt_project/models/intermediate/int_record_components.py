"""Transitive closure of the complaint links: connected components by union-find.

Links are applied strongest first (reviewed `same`, then the channels' own links, then rule matches
by score); a link is skipped when it would put two records of a reviewed `not_same` pair into one
component, so a wrong chain cannot undo a reviewer's decision. Each record also gets the rule and
score of the best link that holds it in its component (the bridge's match_method/match_score).
The component is named by its smallest record_key; int_complaints_clustered chooses the anchor.
"""

import pyarrow as pa


def union_find_components(record_keys, links, constraints):
    """records: iterable of keys; links: (a, b, rule, score) in order of precedence;
    constraints: (a, b) pairs that must end in different components."""
    parent = {key: key for key in record_keys}
    forbidden = {}
    for a, b in constraints:
        if a in parent and b in parent:
            forbidden.setdefault(a, set()).add(b)
            forbidden.setdefault(b, set()).add(a)

    def find(key):
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    members_forbidden = {find(key): set(keys) for key, keys in forbidden.items()}
    best = {}
    for a, b, rule, score in links:
        if a not in parent or b not in parent:
            continue
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            banned_a = members_forbidden.get(root_a, set())
            banned_b = members_forbidden.get(root_b, set())
            if any(find(key) == root_b for key in banned_a) or any(find(key) == root_a for key in banned_b):
                continue
            parent[root_b] = root_a
            if banned_b:
                members_forbidden[root_a] = banned_a | banned_b
                members_forbidden.pop(root_b, None)
        for key in (a, b):
            if key not in best or score > best[key][1]:
                best[key] = (rule, score)
    components = {}
    for key in parent:
        components.setdefault(find(key), []).append(key)
    rows = []
    for keys in components.values():
        component_key = min(keys)
        for key in keys:
            rule, score = best.get(key, (None, None))
            rows.append((key, component_key, len(keys), rule, score))
    return rows


def model(dbt, session):
    dbt.config(materialized="table")
    record_keys = [row[0] for row in dbt.ref("int_complaints_unioned").project("record_key").fetchall()]
    matched = dbt.ref("int_complaints_matched")
    precedence = """
        case when match_rule = 'manual:same' then 0 when match_rule like 'channel_link:%' then 1 else 2 end,
        match_score desc, record_key_a, record_key_b
    """
    links = (
        matched.filter("not is_constraint")
        .order(precedence)
        .project("record_key_a, record_key_b, match_rule, match_score")
        .fetchall()
    )
    constraints = matched.filter("is_constraint").project("record_key_a, record_key_b").fetchall()
    rows = union_find_components(record_keys, links, constraints)
    columns = list(zip(*rows, strict=True)) if rows else [[], [], [], [], []]
    return pa.table(
        {
            "record_key": pa.array(columns[0], pa.string()),
            "component_key": pa.array(columns[1], pa.string()),
            "component_size": pa.array(columns[2], pa.int64()),
            "match_rule": pa.array(columns[3], pa.string()),
            "match_score": pa.array(columns[4], pa.float64()),
        }
    )
