"""SIGTERM and SIGHUP end nhrap as Ctrl-C does: cleanups run (no soffice left running, no temporary folder
left behind) and the exit status is 128 + the signal's number."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, copy_sample

# a LibreOffice that starts and never finishes, saying where it runs; pdftotext only needs to be there
SOFFICE = "#!/bin/sh\necho $$ > \"$NHRAP_TEST_MARK\"\nexec sleep 60\n"


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_render_ends_libreoffice_and_removes_its_folder(tmp_path, signum):
    root = copy_sample(tmp_path / "ws")
    tools, temp, mark = tmp_path / "bin", tmp_path / "tmp", tmp_path / "soffice.pid"
    tools.mkdir()
    temp.mkdir()
    for name, script in (("soffice", SOFFICE), ("pdftotext", "#!/bin/sh\nexit 1\n")):
        (tools / name).write_text(script)
        (tools / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}", "TMPDIR": str(temp),
           "PYTHONPATH": str(REPO), "NHRAP_TEST_MARK": str(mark), "SOURCE_DATE_EPOCH": "1767225600"}
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-w", str(root), "render", "latest", "--mode",
                                "final", "-o", str(tmp_path / "final.docx")], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not mark.is_file() or not mark.read_text().strip():
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        time.sleep(0.1)
    soffice = int(mark.read_text())
    process.send_signal(signum)
    try:
        assert process.wait(timeout=30) == 128 + signum
        assert b"Traceback" not in process.stderr.read()
        time.sleep(0.2)
        assert not running(soffice)
    finally:
        if running(soffice):  # left behind: end it here, not the test run's business to keep it
            os.kill(soffice, signal.SIGKILL)
    assert not list(temp.glob("nhrap-pages-*"))
    assert not (tmp_path / "final.docx").exists()
