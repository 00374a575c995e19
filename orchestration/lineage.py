"""`zhihui lineage`: column lineage of every mart column back to the raw feed fields, as a file.

The compiled SQL of the latest dbt build (its run manifest under dbt_project/target/) is parsed
with sqlglot, one model at a time against the warehouse's column lists; the per-model edges are
then followed down to `raw.<channel>`, where the JSON paths read from `payload` name the feed
fields. Written to `published/lineage.json` and `published/lineage.html` (no paid Dagster edition needed).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.lineage import Node, lineage

from orchestration.trace import reading
from warehouse.settings import DBT_PROJECT_DIR, Locations

Column = tuple[str, str]  # (relation "schema.table", column)


def latest_compiled_models(target_dir: Path = DBT_PROJECT_DIR / "target") -> dict[str, str]:
    """Relation → compiled SQL, newest build first wins (a failed build leaves later models uncompiled)."""
    compiled: dict[str, str] = {}
    for manifest_path in sorted(target_dir.glob("*/manifest.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"].values()
        for node in nodes:
            if node["resource_type"] == "model" and node.get("compiled_code") and node.get("language") == "sql":
                compiled.setdefault(f"{node['schema']}.{node['name']}", node["compiled_code"])
    return compiled


def warehouse_schema(locations: Locations) -> dict[str, dict[str, dict[str, str]]]:
    with reading(locations) as con:
        rows = con.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns"
        ).fetchall()
    schema: dict[str, dict[str, dict[str, str]]] = {}
    for table_schema, table, column, data_type in rows:
        schema.setdefault(table_schema, {}).setdefault(table, {})[column] = data_type
    return schema


def model_edges(sql: str, columns: list[str], schema: dict) -> dict[str, set[tuple[str, str, str | None]]]:
    """Output column → {(upstream relation, upstream column, JSON path read from it or None)}."""
    edges: dict[str, set[tuple[str, str, str | None]]] = {}
    for column in columns:
        try:
            root = lineage(column, sql, schema=schema, dialect="duckdb")
        except Exception:  # a construct sqlglot cannot follow: that column stays unresolved
            continue
        edges[column] = set(_leaves(root, ()))
    return edges


def _leaves(node: Node, ancestors: tuple[Node, ...]) -> Iterator[tuple[str, str, str | None]]:
    if not node.downstream and isinstance(node.source, exp.Table):
        table = node.source
        relation = f"{table.db}.{table.name}" if table.db else table.name
        yield relation, node.name.split(".")[-1], _json_path(ancestors)
    for child in node.downstream:
        yield from _leaves(child, (node, *ancestors))


def _json_path(ancestors: tuple[Node, ...]) -> str | None:
    """The JSON field the nearest extraction above a raw column reads (`payload ->> '$.x'`, `json_extract…`)."""
    for ancestor in ancestors:
        for extraction in ancestor.expression.find_all(exp.JSONExtract, exp.JSONExtractScalar):
            return extraction.expression.sql(dialect="duckdb").strip("'").removeprefix("$.")
    return None


def column_lineage(locations: Locations) -> dict[str, list[dict[str, str | None]]]:
    """`mart.<table>.<column>` → the raw feed fields it comes from (`raw.<channel>`, column, JSON field)."""
    compiled = latest_compiled_models()
    schema = warehouse_schema(locations)
    edges: dict[Column, set[tuple[str, str, str | None]]] = {}
    for relation, sql in compiled.items():
        table_schema, table = relation.split(".")
        columns = list(schema.get(table_schema, {}).get(table, {}))
        for column, upstream in model_edges(_unqualified(sql), columns, schema).items():
            edges[(relation, column)] = upstream
    result: dict[str, list[dict[str, str | None]]] = {}
    for relation, column in sorted(edges):
        if relation.startswith("mart."):
            fields = sorted(_raw_fields((relation, column), edges, set()), key=lambda f: tuple(map(str, f)))
            result[f"{relation}.{column}"] = [{"raw": r, "column": c, "field": f} for r, c, f in fields]
    return result


def _raw_fields(node: Column, edges: dict, seen: set[Column]) -> set[tuple[str, str, str | None]]:
    found: set[tuple[str, str, str | None]] = set()
    for relation, column, path in edges.get(node, ()):
        if relation.startswith("raw."):
            found.add((relation, column, path))
        elif (relation, column) not in seen:
            seen.add((relation, column))
            found |= _raw_fields((relation, column), edges, seen)
    return found


def _unqualified(sql: str) -> str:
    """Drop the database name (`"warehouse"."mart"."x"` → `"mart"."x"`) so relations match the schema map."""
    tree = sqlglot.parse_one(sql, dialect="duckdb")
    for table in tree.find_all(exp.Table):
        table.set("catalog", None)
    return tree.sql(dialect="duckdb")


def write_lineage(locations: Locations) -> tuple[Path, Path]:
    result = column_lineage(locations)
    json_path = locations.published_dir / "lineage.json"
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    rows = "\n".join(
        f"<tr><td>{html.escape(target)}</td><td>"
        + "<br>".join(
            html.escape(f"{s['raw']}.{s['column']}" + (f" → {s['field']}" if s["field"] else "")) for s in sources
        )
        + "</td></tr>"
        for target, sources in result.items()
    )
    html_path = locations.published_dir / "lineage.html"
    html_path.write_text(
        "<!doctype html><meta charset='utf-8'><title>治汇 column lineage</title>"
        "<style>body{font-family:sans-serif}td{border-bottom:1px solid #ddd;padding:2px 8px;vertical-align:top}</style>"
        "<h1>Column lineage: mart ← raw feed fields</h1>"
        f"<table><tr><th>mart column</th><th>raw sources</th></tr>{rows}</table>",
        encoding="utf-8",
    )
    return json_path, html_path
