"""pipeline.libreoffice's runner, on stand-in commands (no LibreOffice needed): soffice starts soffice.bin,
which a timeout that ended only soffice left running."""
from __future__ import annotations

import time
from pathlib import Path

from pipeline import libreoffice


def _running(pid: int) -> bool:
    """Whether process `pid` is alive (a zombie waiting for its parent to reap it is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_command_that_overruns_is_ended_with_every_process_it_started(tmp_path):
    child = tmp_path / "child.pid"
    started = time.monotonic()
    assert libreoffice._run(["sh", "-c", f"sleep 300 & echo $! > {child}; wait"], timeout=1) is False
    assert time.monotonic() - started < 30
    pid = int(child.read_text())
    deadline = time.monotonic() + 5
    while _running(pid) and time.monotonic() < deadline:  # SIGKILL is delivered, not waited for
        time.sleep(0.05)
    assert not _running(pid)


def test_a_command_that_fails_or_cannot_start_converts_nothing(tmp_path):
    assert libreoffice._run(["sh", "-c", "exit 1"], timeout=30) is False
    assert libreoffice._run([str(tmp_path / "no-such-program")], timeout=30) is False
    assert libreoffice._run(["true"], timeout=30) is True
