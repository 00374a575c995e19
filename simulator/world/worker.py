"""Record-building worker processes (`python -m simulator.world.worker`).

Plain subprocesses talking over their stdin/stdout (length-prefixed pickles), not
`multiprocessing`: no fork (callers may run feed-server threads) and no re-import of the
caller's `__main__` (which `spawn` needs to be guarded). Each request is (chunk, part path);
the worker builds the chunk into that part file and answers ("ok", path) or ("error", traceback).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO

_HEADER = 8


def _send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_HEADER, "little") + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> object:
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        raise EOFError
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class WorkerProcess:
    """One worker; requests are queued to a feeder thread so the parent never blocks on a pipe."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "simulator.world.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._requests: queue.Queue = queue.Queue()
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            while (request := self._requests.get()) is not None:
                _send(stdin, request)
        except (BrokenPipeError, OSError):
            pass  # the worker died; the reader reports it
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def submit(self, request: object) -> None:
        self._requests.put(request)

    def result(self) -> str:
        assert self._process.stdout is not None
        try:
            status, value = _receive(self._process.stdout)  # type: ignore[misc]
        except EOFError:
            raise RuntimeError(f"simulator worker exited with code {self._process.wait()}") from None
        if status != "ok":
            raise RuntimeError(f"simulator worker failed:\n{value}")
        return value

    def close(self) -> None:
        self._requests.put(None)
        self._feeder.join(timeout=30)
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._requests.put(None)


def main() -> int:
    from simulator.world.generator import build_chunk_to_file

    stdin = sys.stdin.buffer
    stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing else may write to the answer pipe
    while True:
        try:
            chunk, path = _receive(stdin)  # type: ignore[misc]
        except EOFError:
            return 0
        try:
            answer: tuple[str, str] = ("ok", build_chunk_to_file(chunk, path))
        except BaseException:  # report to the parent, which raises
            answer = ("error", traceback.format_exc())
        _send(stdout, answer)


if __name__ == "__main__":
    raise SystemExit(main())
