"""Transitive closure of the complaint links: connected components, vectorised (DuckDB + numpy).

Links are applied strongest first (reviewed `same`, then the channels' own links, then rule matches
by score); a link is skipped when it would put two records of a reviewed `not_same` pair into one
component, so a wrong chain cannot undo a reviewer's decision. Each record also gets the rule and
score of the best link that holds it in its component (the bridge's match_method/match_score).
The component is named by its smallest record_key; int_complaints_clustered chooses the anchor.

Millions of records: records and links become integer ids in DuckDB, the components are found by
min-label hooking with pointer jumping in numpy, and each record's best link is one `arg_min` in
SQL. Only a component holding both sides of a `not_same` pair (a handful: reviewed decisions) is
re-done link by link with the ordered union-find below, which gives the same result as running
it over everything: a constraint whose two sides lie in different components never acts.
"""

import numpy as np
import pyarrow as pa

# the order links are applied in (and, on equal scores, which one a record keeps)
LINK_CLASS = "case when match_rule = 'manual:same' then 0 when match_rule like 'channel_link:%' then 1 else 2 end"


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


def connected_labels(n, left, right):
    """For n nodes and edges left[i]-right[i] (int arrays): each node's component as the smallest
    node id in it. Min-label hooking of roots, then pointer jumping, until every edge agrees."""
    labels = np.arange(n, dtype=np.int64)
    while len(left):
        label_left, label_right = labels[left], labels[right]
        differ = label_left != label_right
        if not differ.any():
            break
        label_left, label_right = label_left[differ], label_right[differ]
        low, high = np.minimum(label_left, label_right), np.maximum(label_left, label_right)
        np.minimum.at(labels, high, low)
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
    smallest = np.full(n, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n, dtype=np.int64))
    return smallest[labels]


def id_pairs(session, condition):
    """Both ends of the links that meet the condition, as two int64 arrays."""
    pairs = session.execute(f"select id_a, id_b from int_record_components__links where {condition}").fetchnumpy()
    return np.asarray(pairs["id_a"], dtype=np.int64), np.asarray(pairs["id_b"], dtype=np.int64)


def model(dbt, session):
    dbt.config(materialized="table")
    dbt.ref("int_complaints_unioned").project("record_key").create_view("int_record_components__records")
    dbt.ref("int_complaints_matched").create_view("int_record_components__matched")
    # ids in record_key order, so the smallest id of a component is its smallest record_key
    session.execute(
        """
        create or replace temp table int_record_components__ids as
        select record_key, cast(row_number() over (order by record_key) - 1 as bigint) as id
        from int_record_components__records
        """
    )
    session.execute(
        f"""
        create or replace temp table int_record_components__links as
        select
            a.id as id_a, b.id as id_b, m.record_key_a, m.record_key_b, m.match_rule,
            cast(m.match_score as double) as match_score, m.is_constraint, {LINK_CLASS} as link_class
        from int_record_components__matched as m
        inner join int_record_components__ids as a on m.record_key_a = a.record_key
        inner join int_record_components__ids as b on m.record_key_b = b.record_key
        """
    )
    n = session.execute("select count(*) from int_record_components__ids").fetchone()[0]
    edges = id_pairs(session, "not is_constraint")
    labels = connected_labels(n, *edges)
    constraint_a, constraint_b = id_pairs(session, "is_constraint")
    constrained = np.unique(labels[constraint_a][labels[constraint_a] == labels[constraint_b]])
    session.register(
        "int_record_components__labels",
        pa.table({"id": pa.array(np.arange(n, dtype=np.int64)), "label": pa.array(labels, pa.int64())}),
    )
    session.execute(
        """
        create or replace temp table int_record_components__plain as
        with labelled as (
            select ids.record_key, ids.id, labels.label
            from int_record_components__ids as ids
            inner join int_record_components__labels as labels on ids.id = labels.id
        ),
        incident_links as (
            select id_a as id, match_rule, match_score, link_class, record_key_a, record_key_b
            from int_record_components__links where not is_constraint
            union all
            select id_b as id, match_rule, match_score, link_class, record_key_a, record_key_b
            from int_record_components__links where not is_constraint
        ),
        best_links as (
            select
                id,
                arg_min(match_rule, (-match_score, link_class, record_key_a, record_key_b)) as match_rule,
                max(match_score) as match_score
            from incident_links
            group by id
        )
        select
            labelled.record_key,
            labelled.label,
            min(labelled.record_key) over (partition by labelled.label) as component_key,
            count(*) over (partition by labelled.label) as component_size,
            best_links.match_rule,
            cast(best_links.match_score as double) as match_score
        from labelled
        left join best_links on labelled.id = best_links.id
        """
    )
    session.unregister("int_record_components__labels")

    if len(constrained) == 0:
        result = session.execute(
            "select record_key, component_key, component_size, match_rule, match_score "
            "from int_record_components__plain"
        ).fetch_arrow_table()
    else:
        # the components a reviewed not_same pair falls in: the ordered union-find, link by link
        session.register("int_record_components__constrained", pa.table({"label": pa.array(constrained, pa.int64())}))
        in_constrained = """
            select plain.record_key
            from int_record_components__plain as plain
            inner join int_record_components__constrained as constrained on plain.label = constrained.label
        """
        record_keys = [row[0] for row in session.execute(in_constrained).fetchall()]
        links = session.execute(
            f"""
            select record_key_a, record_key_b, match_rule, match_score
            from int_record_components__links
            where not is_constraint and record_key_a in ({in_constrained})
            order by link_class, match_score desc, record_key_a, record_key_b
            """
        ).fetchall()
        pairs = session.execute(
            "select record_key_a, record_key_b from int_record_components__links "
            f"where is_constraint and record_key_a in ({in_constrained})"
        ).fetchall()
        rows = union_find_components(record_keys, links, pairs)
        columns = list(zip(*rows, strict=True))
        session.register(
            "int_record_components__redone",
            pa.table(
                {
                    "record_key": pa.array(columns[0], pa.string()),
                    "component_key": pa.array(columns[1], pa.string()),
                    "component_size": pa.array(columns[2], pa.int64()),
                    "match_rule": pa.array(columns[3], pa.string()),
                    "match_score": pa.array(columns[4], pa.float64()),
                }
            ),
        )
        result = session.execute(
            """
            select record_key, component_key, component_size, match_rule, match_score
            from int_record_components__plain
            where label not in (select label from int_record_components__constrained)
            union all
            select record_key, component_key, component_size, match_rule, match_score
            from int_record_components__redone
            """
        ).fetch_arrow_table()
        session.unregister("int_record_components__redone")
        session.unregister("int_record_components__constrained")
    for name in ("plain", "links", "ids"):
        session.execute(f"drop table if exists int_record_components__{name}")
    for name in ("records", "matched"):
        session.execute(f"drop view if exists int_record_components__{name}")
    return result
