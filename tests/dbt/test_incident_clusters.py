"""The incident cluster rule (warehouse/incident_clusters.py, which int_incident_components, a dbt
Python model that dbt unit tests cannot reach, runs): links are applied strongest first, and a
union is refused when a complaint of one side contradicts one of the other, so a chain of links
cannot join two events."""

from __future__ import annotations

import importlib.util

import duckdb

from warehouse import incident_clusters as components
from warehouse.settings import DBT_PROJECT_DIR

HOUR = 3600
T0 = 1_748_826_000  # 2025-06-02 09:00 +08


def complaint(spots=(), category_l3="环境卫生", street="广润门街道", hours=0.0, lat=None, lng=None):
    return (category_l3, street, list(spots), T0 + hours * HOUR, lat, lng)


def cluster(complaints, strong_links, candidates=None, max_span_hours=36, half_life=2, majority=0.5):
    rows = components.cluster_incidents_by_id(
        complaints, strong_links, candidates or {}, max_span_hours, half_life, majority
    )
    return {row[0]: row for row in rows}


def test_a_chain_through_a_complaint_naming_two_spots_does_not_join_the_two_events():
    # A at 醋巷172号, B names 醋巷172号 and 醋巷公交站, C at 醋巷公交站: single-link would join A and C
    rows = cluster(
        {
            "CA": complaint(["醋巷172号"]),
            "CB": complaint(["醋巷172号", "醋巷公交站"], category_l3=None, hours=1),
            "CC": complaint(["醋巷公交站"], hours=2),
        },
        [("CA", "CB", "same_address", 1.0), ("CB", "CC", "same_landmark", 1.0)],
    )
    assert rows["CA"][1] == rows["CB"][1] == "CA"
    assert rows["CC"][1] == "CC"
    assert rows["CB"][2:5] == ("same_address", 1.0, "CA")
    assert rows["CC"][5] == [
        {"complaint_id": "CB", "match_rule": "same_landmark", "match_score": 1.0, "reason": "another_spot"}
    ]


def test_a_chain_through_unknown_categories_does_not_join_two_category_l3():
    rows = cluster(
        {
            "CA": complaint(["醋巷172号"]),
            "CB": complaint(["醋巷172号"], category_l3=None, hours=1),
            "CC": complaint(["醋巷172号"], category_l3="城市公共设施", hours=2),
        },
        [("CA", "CB", "same_address", 1.0), ("CB", "CC", "same_address", 1.0)],
    )
    assert rows["CC"][1] == "CC"
    assert rows["CC"][5][0]["reason"] == "another_category_l3"


def test_an_incident_spans_at_most_max_span_hours():
    rows = cluster(
        {
            "CA": complaint(["醋巷172号"]),
            "CB": complaint(["醋巷172号"], hours=20),
            "CC": complaint(["醋巷172号"], hours=40),
        },
        [("CA", "CB", "same_address", 1.0), ("CB", "CC", "same_address", 1.0)],
    )
    assert rows["CB"][1] == "CA"
    assert rows["CC"][1] == "CC"
    assert rows["CC"][5][0]["reason"] == "time_span"


def test_a_vague_complaint_joins_the_cluster_with_a_majority_of_its_time_weighted_votes():
    complaints = {
        "CA": complaint(["醋巷172号"]),
        "CB": complaint(["醋巷172号"], hours=0.5),
        "CC": complaint(["醋巷公交站"], hours=5),
        "CV": complaint(hours=1),
        "CW": complaint(hours=3),
    }
    strong = [("CA", "CB", "same_address", 1.0)]
    # CV: 醋巷172号's two complaints an hour away outweigh 醋巷公交站's four hours away
    # CW: 醋巷172号 (0.5 ** 1.5 + 0.5 ** 1.25) against 醋巷公交站 (0.5 ** 1): 0.61 of the weight
    candidates = {
        "CV": [("CA", 0.6, 1.0), ("CB", 0.6, 0.5), ("CC", 0.6, 4.0)],
        "CW": [("CA", 0.6, 3.0), ("CB", 0.6, 2.5), ("CC", 0.6, 2.0)],
    }
    rows = cluster(complaints, strong, candidates)
    assert rows["CV"][1] == "CA"
    assert rows["CV"][2] == "vague_place_majority"
    assert rows["CV"][4] == "CB"  # through its best candidate there: the nearest in time
    assert rows["CW"][1] == "CA"
    assert rows["CC"][1] == "CC"
    rows = cluster(complaints, strong, candidates, majority=0.7)
    assert rows["CW"][1] == "CW"  # no cluster holds 0.7 of its votes: it stays alone


def test_an_even_vote_goes_to_the_smallest_cluster_and_a_cluster_adds_up_its_complaints_votes():
    complaints = {
        "CA": complaint(["醋巷172号"]),
        "CB": complaint(["醋巷公交站"]),
        "CC": complaint(["醋巷172号"]),
        "CV": complaint(hours=1),
    }
    # CV's votes: CA and CB one hour away each (a tie: 0.5 of the weight each), CC is already in
    # CA's cluster and adds to it, so CA's side holds two thirds
    rows = cluster(complaints, [], {"CV": [("CA", 0.6, 1.0), ("CB", 0.6, 1.0)]})
    assert rows["CV"][1] == "CA"
    assert rows["CV"][3] == 0.5
    rows = cluster(
        complaints, [("CA", "CC", "same_address", 1.0)], {"CV": [("CA", 0.6, 1.0), ("CB", 0.6, 1.0), ("CC", 0.6, 1.0)]}
    )
    assert rows["CV"][1] == "CA"
    assert rows["CV"][3] == 0.6667
    assert rows["CV"][4] == "CA"  # through its best candidate there: same score and time, smallest id


def test_strong_links_go_strongest_first_then_nearest_in_time_then_by_number():
    # the model's own reading of the pairs (int_incident_components.strong_links): 1–2 and 1–3 are
    # both 28 ms apart, but their hours_apart, computed as the pairs model does from epoch()
    # doubles, differ in the last bits; equally near, they go by number, not by that rounding
    spec = importlib.util.spec_from_file_location(
        "int_incident_components", DBT_PROJECT_DIR / "models" / "intermediate" / "int_incident_components.py"
    )
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    apart = "abs(epoch(timestamptz '2025-06-24 15:59:00.097+00') - epoch(timestamptz '2025-06-24 15:59:00.{}+00'))"
    apart += " / 3600.0"
    pairs = duckdb.sql(
        f"""
        select * replace (match_score::double as match_score, hours_apart::double as hours_apart),
            match_rule != 'none' as is_match,
        from (values
            (5, 6, 'same_address', 1.0, 5.0),
            (1, 3, 'same_road_near', 0.6, {apart.format("069")}),
            (3, 4, 'same_road_near', 0.6, 0.01),
            (1, 2, 'same_road_near', 0.6, {apart.format("125")}),
            (2, 4, 'same_landmark', 0.8, 0.5),
            (2, 3, 'none', 0.9, 0.0)
        ) as pairs (complaint_number_a, complaint_number_b, match_rule, match_score, hours_apart)
        """
    )
    assert duckdb.sql(f"select {apart.format('069')} < {apart.format('125')}").fetchone() == (True,)
    a, b, rule, score = model.strong_links(pairs, 6)
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == [(4, 5), (1, 3), (0, 1), (0, 2), (2, 3)]
    assert [components.RULES[code] for code in rule] == [
        "same_address", "same_landmark", "same_road_near", "same_road_near", "same_road_near"
    ]  # fmt: skip
    assert score.tolist() == [1.0, 0.8, 0.6, 0.6, 0.6]
