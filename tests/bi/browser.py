"""Headless Chromium for the report tests: load a page, dump its DOM after load, take a screenshot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def find_chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def _run(chromium: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def dump_dom(chromium: str, page: Path, profile: Path) -> str:
    """The DOM once the page has loaded and its load handlers have run (virtual time lets them finish)."""
    return _run(chromium, profile, "--virtual-time-budget=5000", "--dump-dom", page.as_uri()).stdout


def screenshot(chromium: str, page: Path, profile: Path, target: Path) -> Path:
    _run(chromium, profile, f"--screenshot={target}", "--window-size=1280,4000", page.as_uri())
    return target
