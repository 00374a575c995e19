"""Generation in several processes makes exactly the world one process makes."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

from simulator import Simulation
from simulator.world.generator import CHUNK_APPEALS, WORKERS_ENV

START = date(2025, 6, 1)
DAYS = 2
VOLUME = 3000  # about three chunks, so two workers really share the work


def store_fingerprint(path) -> str:
    """Every row of the store in its stored order, and the generation parameters."""
    digest = hashlib.sha256()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for table in ("records", "versions"):
            for row in db.execute(f"select * from {table} order by rowid"):
                digest.update(repr(row).encode())
        meta = dict(db.execute("select key, value from meta"))
    finally:
        db.close()
    for key in sorted(meta.keys() - {"generation", "workers"}):
        digest.update(f"{key}={meta[key]}".encode())
    return digest.hexdigest()


def generate(root, workers: int, monkeypatch) -> Simulation:
    monkeypatch.setenv(WORKERS_ENV, str(workers))
    sim = Simulation(root / f"w{workers}", START, days=DAYS, appeals_per_day=VOLUME)
    sim.generate()
    sim.set_clock(sim.clock)  # writes truth.csv and summary.json
    return sim


def test_one_or_two_workers_make_the_same_world(tmp_path, monkeypatch):
    assert DAYS * VOLUME > 2 * CHUNK_APPEALS
    one = generate(tmp_path, 1, monkeypatch)
    two = generate(tmp_path, 2, monkeypatch)
    assert one.store.one("select value from meta where key = 'workers'") == ("1",)
    assert two.store.one("select value from meta where key = 'workers'") == ("2",)
    assert store_fingerprint(one.store_path) == store_fingerprint(two.store_path)
    assert one.truth_path.read_bytes() == two.truth_path.read_bytes()
    assert one.summary["generation"] | {"seconds": 0} == two.summary["generation"] | {"seconds": 0}
    assert not list(two.workdir.glob(".*parts*"))  # the workers' part files are gone
