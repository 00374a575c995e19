"""A drop folder where files arrive with `.md5` companions, and the set of files already loaded.

A file is complete only once its `.md5` exists and matches: a missing or mismatching digest
means "still being written", so the file is left for a later run, never skipped for good.
The state is the set of files loaded (name → digest), not a position: a later file can be
complete before an earlier one, and a file rewritten with a new digest is loaded again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

_DIGEST_LINE = re.compile(r"^\s*([0-9a-fA-F]{32})(?:\s+\*?(\S.*?))?\s*$")


@dataclass(frozen=True)
class CheckedFile:
    """A complete file: its bytes as read and verified (read once, so a rewrite cannot slip in between)."""

    name: str
    data: bytes
    md5: str


@dataclass(frozen=True)
class WaitingFile:
    name: str
    reason: str


def parse_md5_companion(text: str) -> tuple[str, str | None] | None:
    """`<hex digest>[ <name>]` or `<hex digest> *<name>` (md5sum style) → (digest, name); None if malformed."""
    lines = [line for line in text.splitlines() if line.strip()]
    match = _DIGEST_LINE.match(lines[0]) if len(lines) == 1 else None
    return (match.group(1).lower(), match.group(2)) if match else None


class DropFolder:
    """The files of one folder matching `pattern`, each checked against its `<name>.md5`."""

    def __init__(self, folder: Path, pattern: str) -> None:
        self.folder = folder
        self.pattern = pattern

    def scan(self, loaded: Mapping[str, str]) -> Iterator[CheckedFile | WaitingFile]:
        """In name order: complete files not yet loaded with this digest, and files still waiting."""
        for path in sorted(self.folder.glob(self.pattern)):
            if path.is_file():
                checked = self._check(path)
                if isinstance(checked, WaitingFile) or loaded.get(checked.name) != checked.md5:
                    yield checked

    def _check(self, path: Path) -> CheckedFile | WaitingFile:
        companion = path.with_name(path.name + ".md5")
        try:
            expected = parse_md5_companion(companion.read_text("ascii", errors="replace"))
            data = path.read_bytes()
        except FileNotFoundError:
            return WaitingFile(path.name, "no .md5 yet")
        if expected is None:
            return WaitingFile(path.name, "unreadable .md5")
        digest, named = expected
        if named is not None and Path(named).name != path.name:
            return WaitingFile(path.name, f".md5 names another file ({named})")
        actual = hashlib.md5(data).hexdigest()
        if actual != digest:
            return WaitingFile(path.name, f"MD5 mismatch ({actual} ≠ {digest}): not complete yet")
        return CheckedFile(path.name, data, digest)
