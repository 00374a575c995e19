"""Deduplication quality against the simulator's truth: pairwise precision, recall and F1.

Complaints: two source records are a true pair when truth.csv gives them the same appeal_id, a
predicted pair when mart.bridge_complaint_source puts them in the same complaint_id. Incidents: the
same with incident_id (truth) and fct_complaint.incident_id (predicted, via the bridge). Missed and
wrongly merged pairs are broken down by kind: repost (opinion with opinion), no_person (a record
with no person key at all), masked_phone (city_mgmt's masked mobile only), same_channel_repeat,
cross_channel.

    python -m bench.dedup_quality                       # default world: 7 days x 300 appeals/day
    python -m bench.dedup_quality --appeals-per-day 3000  # the 10x world
    python -m bench.dedup_quality --workdir DIR --reuse   # rebuild and re-evaluate a landed world
    python -m bench.dedup_quality --workdir DIR --reuse --select int_incident_pairs+  # rebuild only those

Each world is generated with `Simulation`, landed through the real connectors into a fresh
warehouse (`warehouse.landing`), built with `dbt build`, then scored. Results go to stdout and,
as JSON, to `<workdir>/dedup_quality.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from warehouse.settings import DBT_BUILD_ARGS, DBT_PROJECT_DIR, REPO_ROOT

START = date(2025, 6, 1)

PAIR_KIND = """
    case
        when a.channel = 'opinion' and b.channel = 'opinion' then 'repost'
        when coalesce(a.person_key, a.person_masked_key) is null
            or coalesce(b.person_key, b.person_masked_key) is null then 'no_person'
        when a.person_key is null or b.person_key is null then 'masked_phone'
        when a.channel = b.channel then 'same_channel_repeat'
        else 'cross_channel'
    end
"""


def land_world(workdir: Path, days: int, appeals_per_day: int, seed: int) -> tuple[Path, Path]:
    """Generate the world, serve it, land every channel through its connector. Returns (warehouse, truth)."""
    from connectors.core.window import DateWindow
    from connectors.registry import CHANNEL_KEYS, CONNECTORS
    from simulator import Simulation
    from warehouse.landing import Load, ensure_raw_tables

    warehouse = workdir / "warehouse.duckdb"
    sim = Simulation(workdir / "simulator", start=START, days=days, appeals_per_day=appeals_per_day, seed=seed)
    sim.start()
    try:
        os.environ.update(sim.env)
        window = DateWindow(START, START + timedelta(days=days - 1))
        con = duckdb.connect(str(warehouse))
        ensure_raw_tables(con, list(CHANNEL_KEYS))
        for key in CHANNEL_KEYS:
            connector_cls = CONNECTORS[key]
            load = Load(con, key, window=(window.start.isoformat(), window.end.isoformat()))
            pulled = window if connector_cls.windowed else None
            for batch in connector_cls.from_env().fetch(window=pulled, cursor=load.cursor_before):
                load.land(batch)
            load.finish()
        con.close()
    finally:
        sim.stop()
    return warehouse, sim.truth_path


def dbt_build(warehouse: Path, project_dir: Path, full_refresh: bool = False, select: str | None = None) -> float:
    env = dict(os.environ, ZHIHUI_WAREHOUSE_PATH=str(warehouse))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    command = [
        str(Path(sys.executable).parent / "dbt"),
        *DBT_BUILD_ARGS,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--quiet",
    ]
    if full_refresh:
        command.append("--full-refresh")
    if select:
        command += ["--select", select]
    started = time.monotonic()
    subprocess.run(command, env=env, check=True)
    return time.monotonic() - started


def pairwise(con: duckdb.DuckDBPyConnection, truth_key: str, predicted_key: str) -> dict:
    """Pairwise precision/recall/F1 of predicted clusters against truth clusters, from counts only."""
    counts = con.execute(
        f"""
        with
        truth_pairs as (select sum(n * (n - 1) / 2) as n from (select count(*) as n from scored group by {truth_key})),
        predicted_pairs as (
            select sum(n * (n - 1) / 2) as n from (select count(*) as n from scored group by {predicted_key})
        ),
        common_pairs as (
            select sum(n * (n - 1) / 2) as n
            from (select count(*) as n from scored group by {truth_key}, {predicted_key})
        )
        select truth_pairs.n, predicted_pairs.n, common_pairs.n from truth_pairs, predicted_pairs, common_pairs
        """
    ).fetchone()
    n_truth, n_predicted, n_common = (int(value or 0) for value in counts)
    precision = n_common / n_predicted if n_predicted else 1.0
    recall = n_common / n_truth if n_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_pairs": n_truth,
        "predicted_pairs": n_predicted,
        "correct_pairs": n_common,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def error_breakdown(con: duckdb.DuckDBPyConnection, truth_key: str, predicted_key: str) -> dict:
    """Missed pairs (same truth cluster, different predicted) and wrong pairs, by kind of pair.

    Two equi-joins (the true pairs, the predicted pairs), not one join on "same truth or same
    prediction": an OR condition is a nested loop over all record pairs (hours at 90k records)."""
    rows = con.execute(
        f"""
        with
        true_pairs as (
            select
                {PAIR_KIND} as pair_kind,
                a.{predicted_key} = b.{predicted_key} as is_predicted_pair,
            from scored as a
            inner join scored as b on a.{truth_key} = b.{truth_key} and a.record_key < b.record_key
        ),
        predicted_pairs as (
            select
                {PAIR_KIND} as pair_kind,
                a.{truth_key} = b.{truth_key} as is_true_pair,
            from scored as a
            inner join scored as b on a.{predicted_key} = b.{predicted_key} and a.record_key < b.record_key
        ),
        missed as (
            select pair_kind, count(*) filter (where not is_predicted_pair) as missed, count(*) as true_pairs,
            from true_pairs
            group by pair_kind
        ),
        wrong as (
            select pair_kind, count(*) filter (where not is_true_pair) as wrongly_merged,
            from predicted_pairs
            group by pair_kind
        )
        select
            pair_kind,
            coalesce(missed.missed, 0),
            coalesce(wrong.wrongly_merged, 0),
            coalesce(missed.true_pairs, 0),
        from missed
        full outer join wrong using (pair_kind)
        order by pair_kind
        """
    ).fetchall()
    return {kind: {"missed": missed, "wrongly_merged": wrong, "true_pairs": true} for kind, missed, wrong, true in rows}


def incident_links(con: duckdb.DuckDBPyConnection) -> dict:
    """The link that joined each complaint to its incident (int_incident_components), by rule: how
    many, and how many join two complaints of the same true incident (each complaint's most common).
    Empty for a model without the link columns (the clustering before 2026-11-28)."""
    columns = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'intermediate' and table_name = 'int_incident_components'"
    ).fetchall()
    if ("matched_complaint_id",) not in columns:
        return {}
    rows = con.execute(
        """
        with complaint_truth as (
            select complaint_id, mode(true_incident_id) as true_incident_id, from scored group by complaint_id
        )
        select
            links.match_rule,
            count(*) as links,
            count(*) filter (where this.true_incident_id = other.true_incident_id) as correct,
        from intermediate.int_incident_components as links
        inner join complaint_truth as this on links.complaint_id = this.complaint_id
        inner join complaint_truth as other on links.matched_complaint_id = other.complaint_id
        group by links.match_rule
        order by links.match_rule
        """
    ).fetchall()
    return {rule: {"links": links, "correct": correct} for rule, links, correct in rows}


def evaluate(warehouse: Path, truth: Path) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute(
        f"""
        create temp table scored as
        select
            bridge.record_key,
            bridge.channel,
            bridge.complaint_id,
            complaint.incident_id,
            records.person_key,
            records.person_masked_key,
            truth.appeal_id,
            truth.incident_id as true_incident_id,
        from mart.bridge_complaint_source as bridge
        inner join mart.fct_complaint as complaint on bridge.complaint_id = complaint.complaint_id
        inner join intermediate.int_complaints_unioned as records on bridge.record_key = records.record_key
        inner join read_csv('{truth}', all_varchar = true) as truth
            on bridge.channel = truth.channel and bridge.source_record_id = truth.source_record_id
        """
    )
    n_scored, n_bridge, n_truth = con.execute(
        f"select (select count(*) from scored), (select count(*) from mart.bridge_complaint_source), "
        f"(select count(*) from read_csv('{truth}', all_varchar = true))"
    ).fetchone()
    result = {
        "records": {"truth": n_truth, "bridge": n_bridge, "scored": n_scored},
        "complaints": pairwise(con, "appeal_id", "complaint_id"),
        "complaint_errors": error_breakdown(con, "appeal_id", "complaint_id"),
        "incidents": pairwise(con, "true_incident_id", "incident_id"),
        "incident_errors": error_breakdown(con, "true_incident_id", "incident_id"),
        "incident_links": incident_links(con),
        "counts": dict(
            zip(
                ("complaints_truth", "complaints_built", "incidents_truth", "incidents_built"),
                con.execute(
                    "select count(distinct appeal_id), count(distinct complaint_id), "
                    "count(distinct true_incident_id), count(distinct incident_id) from scored"
                ).fetchone(),
                strict=True,
            )
        ),
    }
    con.close()
    return result


def report(result: dict) -> str:
    lines = [f"records: {result['records']}", f"counts: {result['counts']}"]
    for level in ("complaints", "incidents"):
        m = result[level]
        lines.append(
            f"{level:<10} precision {m['precision']:.4f}  recall {m['recall']:.4f}  F1 {m['f1']:.4f}  "
            f"(true pairs {m['true_pairs']}, predicted {m['predicted_pairs']}, correct {m['correct_pairs']})"
        )
        for kind, errors in result[level.rstrip("s") + "_errors"].items():
            lines.append(
                f"    {kind:<20} missed {errors['missed']:>7}  wrongly merged {errors['wrongly_merged']:>7}"
                f"  of {errors['true_pairs']:>7} true pairs"
            )
    for rule, counts in result.get("incident_links", {}).items():
        lines.append(
            f"    incident link {rule:<22} {counts['links']:>7} complaints joined,"
            f" {counts['correct']:>7} to their true incident"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--appeals-per-day", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20250601)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a new temporary folder")
    parser.add_argument("--reuse", action="store_true", help="the workdir already holds a landed world")
    parser.add_argument("--skip-build", action="store_true", help="evaluate the mart as it is")
    parser.add_argument(
        "--select", default=None, help="dbt selection to rebuild (with --reuse), e.g. int_incident_pairs+"
    )
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT_DIR)
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="zhihui-dedup-"))
    workdir.mkdir(parents=True, exist_ok=True)
    timings = {}
    if args.reuse:
        warehouse, truth = workdir / "warehouse.duckdb", workdir / "simulator" / "truth.csv"
    else:
        started = time.monotonic()
        warehouse, truth = land_world(workdir, args.days, args.appeals_per_day, args.seed)
        timings["land_seconds"] = round(time.monotonic() - started, 1)
    if not args.skip_build:
        timings["dbt_build_seconds"] = round(dbt_build(warehouse, args.project_dir, select=args.select), 1)
    result = evaluate(warehouse, truth)
    result["world"] = {"days": args.days, "appeals_per_day": args.appeals_per_day, "seed": args.seed}
    result["timings"] = timings
    (workdir / "dedup_quality.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(report(result))
    print(f"workdir: {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
