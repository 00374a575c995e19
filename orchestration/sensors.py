"""The petition drop-folder sensor, STOPPED by default: a new complete XML (with a matching `.md5`)
starts a run of `raw/petition`.

Its cursor is the set of complete files it has seen (name → MD5, as JSON), like the connector's
own state: a file completed late or rewritten with a new digest triggers again, an incomplete
one is left until its `.md5` matches. The run itself decides what to load (connectors/channels/petition.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from connectors.channels.petition import FILE_PATTERN, PetitionConnector
from connectors.core.files import CheckedFile, DropFolder
from orchestration.jobs import PETITION_JOB


def new_complete_files(folder: Path, seen: dict[str, str]) -> dict[str, str]:
    """Complete files (name → MD5) that `seen` does not hold with that digest."""
    if not folder.is_dir():
        return {}
    return {
        found.name: found.md5 for found in DropFolder(folder, FILE_PATTERN).scan(seen) if isinstance(found, CheckedFile)
    }


@dg.sensor(
    name="petition_drop_folder",
    job=PETITION_JOB,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="A new complete petition export (XML + matching .md5) in PETITION_DROP_DIR runs raw/petition.",
)
def petition_drop_folder(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    folder = Path(PetitionConnector.from_env().setting("PETITION_DROP_DIR"))
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    new = new_complete_files(folder, seen)
    if not new:
        return dg.SensorResult(skip_reason=dg.SkipReason(f"no new complete file in {folder}"))
    run_key = hashlib.sha256(json.dumps(sorted(new.items())).encode()).hexdigest()[:16]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"zhihui/petition_files": ",".join(sorted(new))[:200]})],
        cursor=json.dumps({**seen, **new}, sort_keys=True),
    )


SENSORS = [petition_drop_folder]
