"""LibreOffice, headless, for the conversions nhrap does not do itself (a PDF to read page numbers from,
a reviewer's .odt to read as .docx).

Each conversion runs with a profile of its own inside the caller's temporary folder, so a LibreOffice
the user has open, or another conversion, never shares it; and under a timeout, after which the whole
process group is killed, so no soffice is left running.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Optional

SOFFICE = "soffice"
TIMEOUT = 180  # seconds: a first start with a new profile takes a few, a long document's layout a minute


def available() -> bool:
    return shutil.which(SOFFICE) is not None


def convert(source: Path, target: str, folder: Path, timeout: float = TIMEOUT) -> Optional[Path]:
    """`source` converted to `target` (what --convert-to takes: "pdf", "docx:MS Word 2007 XML") in
    `folder`, which holds the profile too; None when LibreOffice fails or takes longer than `timeout`."""
    return convert_all([source], target, folder, timeout)[source]


def convert_all(sources: list[Path], target: str, folder: Path, timeout: float = TIMEOUT) -> dict[Path, Optional[Path]]:
    """Each of `sources` (distinct file names) converted as `convert` does, in one LibreOffice run: its
    start costs seconds, the conversion of a consultation draft a fraction of one. All None when the run
    fails or overruns (a file may be half-written)."""
    # absolute: soffice takes a relative name beginning with '-' ("-comments.odt" in the current folder)
    # for an option, and refuses the whole run
    command = [SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
               "--convert-to", target, "--outdir", str(folder), *(str(source.absolute()) for source in sources)]
    finished = _run(command, timeout)
    results = {source: folder / f"{source.stem}.{target.split(':')[0]}" for source in sources}
    return {source: result if finished and result.is_file() else None for source, result in results.items()}


def _run(command: list[str], timeout: float) -> bool:
    """Whether `command` exits with status 0 within `timeout`; it and its children are killed if not."""
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)  # its own process group, to end soffice.bin too
    except OSError:
        return False
    try:
        return process.wait(timeout=timeout) == 0
    except subprocess.TimeoutExpired:
        return False
    finally:
        if process.poll() is None:  # overran, or the user interrupted nhrap
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
