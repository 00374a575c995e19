"""Incidents from the incident links, with a cluster-level check (docs/matching.md § Incidents):
the rule itself (strong links strongest first, then vague complaints' majority votes, each union
checked against both whole clusters) is warehouse/incident_clusters.py, where numba can cache its
compiled loops; this model reads the links and writes the rows.

One row per complaint: its component (named by its smallest complaint_id; int_incidents_clustered
chooses the anchor), the link that joined it (rule, score, the other complaint) and the links that
touched it but were refused, with the reason.

Complaints are numbered by int_complaints_located (in complaint_id order, so the smallest number is
the smallest id) and the pairs carry those numbers; both are read through Arrow.
"""

import numpy as np
import pyarrow as pa

from warehouse.incident_clusters import RULES, cluster_incidents, complaint_columns, offsets

REFUSED_LINK = pa.struct(
    [("complaint_id", pa.string()), ("match_rule", pa.string()), ("match_score", pa.float64()), ("reason", pa.string())]
)


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.config.get("meta")
    # every complaint, by int_complaints_located's complaint_number (1..n in complaint_id order),
    # which the pairs carry: row i is complaint number i + 1
    complaints = (
        dbt.ref("int_complaints_located")
        .project(
            "complaint_number, complaint_id, category_l3, street, spots, epoch(received_at) as received_at, lat, lng"
        )
        .order("complaint_number")
        .fetch_arrow_table()
    )
    ids = complaints["complaint_id"].combine_chunks()
    pairs = dbt.ref("int_incident_pairs")  # only pairs with a rule: links and votes
    columns = complaint_columns(
        *(complaints[name].combine_chunks() for name in ("category_l3", "street", "spots", "received_at", "lat", "lng"))
    )
    del complaints
    clusters = cluster_incidents(
        columns,
        strong_links(pairs, len(ids)),
        vote_arrays(pairs),
        settings["max_span_hours"],
        settings["vote_half_life_hours"],
        settings["vote_majority"],
    )
    return incident_table(ids, clusters)


def strong_links(pairs, size):
    """The strong links as arrays (a, b, rule code, score) by complaint number (from 0), strongest
    first: score, then nearest in time, then ids (numbers sort as the ids do)."""
    rule_code = " ".join(f"when '{name}' then {code}" for code, name in enumerate(RULES))
    strong = (
        pairs.filter("is_match").project(
            "complaint_number_a - 1 as a, complaint_number_b - 1 as b, "
            f"case match_rule {rule_code} end as rule, match_score, hours_apart"
        )
    ).fetch_arrow_table()
    a, b = strong["a"].to_numpy().astype(np.int64), strong["b"].to_numpy().astype(np.int64)
    score = strong["match_score"].to_numpy()
    # one stable sort of (weakness, microseconds apart) packed in an int64, over the links in
    # (a, b) order (a quicksort: a pair is one link): a third less than two stable sorts, by
    # hours and then by score. Scores have 4 decimals and times microseconds, so both are exact
    weakness = np.rint((1 - score) * 10_000).astype(np.int64)
    apart = np.rint(strong["hours_apart"].to_numpy() * 3_600_000_000).astype(np.int64)
    bits = int(apart.max()).bit_length() if len(apart) else 0
    order = np.argsort(a * size + b)
    order = order[np.argsort(((weakness << bits) | apart)[order], kind="stable")]
    rule = strong["rule"].to_numpy().astype(np.int64)
    return a[order], b[order], rule[order], score[order]


def vote_arrays(pairs):
    """The votes of vague complaints, one row per (vague complaint, candidate): numpy arrays
    (vague number, candidate number, hours apart, score), numbers from 0, a vague complaint's rows
    in read order."""
    candidates = (
        pairs.filter("match_rule = 'vague_place_candidate'")
        .project(
            "complaint_number_a - 1 as a, complaint_number_b - 1 as b, is_vague_a, is_vague_b, match_score, hours_apart"
        )
        .fetch_arrow_table()
    )
    votes = []
    for vague, other, is_vague in (("a", "b", "is_vague_a"), ("b", "a", "is_vague_b")):
        voting = candidates.filter(candidates[is_vague])
        votes.append(
            [
                voting[vague].to_numpy().astype(np.int64),
                voting[other].to_numpy().astype(np.int64),
                voting["hours_apart"].to_numpy(),
                voting["match_score"].to_numpy(),
            ]
        )
    return [np.concatenate(columns) for columns in zip(*votes, strict=True)]


def incident_table(ids, clusters):
    """One row per complaint: its component key, the link that joined it, the links refused at it."""
    unjoined = clusters.joined_rule < 0
    at, other, rule, score, reason = clusters.refused_columns()
    refused_links = pa.ListArray.from_arrays(
        pa.array(offsets(at, len(ids)), pa.int32()),
        pa.StructArray.from_arrays(
            [ids.take(pa.array(other)), rule, pa.array(score, pa.float64()), reason],
            fields=list(REFUSED_LINK),
        ),
    )
    return pa.table(
        {
            "complaint_id": ids,
            "component_key": ids.take(pa.array(clusters.roots())),
            "match_rule": pa.array(RULES, pa.string()).take(pa.array(clusters.joined_rule, mask=unjoined)),
            "match_score": pa.array(clusters.joined_score, pa.float64(), mask=unjoined),
            "matched_complaint_id": ids.take(pa.array(clusters.joined_other, mask=unjoined)),
            "refused_links": refused_links,
        }
    )
