"""Word rendering benchmark: nhrap vs pandoc 3 on the generated 1,500-paragraph plan (bench/generate.py).

Each tool runs as the user runs it — `nhrap render plan.md` and `pandoc plan.md -o …`,
start-up included for both — the tools taking turns; wall time is the best of
REPEAT rounds and peak memory is the child's ru_maxrss.
Target: nhrap's time ≤ 0.7 × pandoc's.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEAT = 11  # this machine's timings swing by a third from one moment to the next: best of many
ROOT = Path(__file__).resolve().parent.parent


def plan_markdown(folder: Path) -> tuple[str, int]:
    """The composed Markdown of the generated real-scale plan (bench/generate.py), and its block count."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate_workspace
    from pipeline.compose import compose_draft
    from pipeline.readers.markdown import parse_blocks
    from pipeline.workspace import open_workspace
    text, _report = compose_draft(open_workspace(generate_workspace(folder / "ws")))
    return text, len(parse_blocks(text).blocks)


def _once(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak MB) of one run of a child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{command[0]} failed: {process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def _measure(commands: dict[str, tuple[list[str], Path]]) -> dict[str, tuple[float, float]]:
    """Best wall time and peak memory of each command over REPEAT rounds. The commands take turns
    within each round, so a busy moment on the machine falls on all of them alike."""
    best = {name: (float("inf"), 0.0) for name in commands}
    for _ in range(REPEAT):
        for name, (command, cwd) in commands.items():
            seconds, peak = _once(command, cwd)
            best[name] = (min(best[name][0], seconds), max(best[name][1], peak))
    return best


def run(results: dict) -> None:
    import pypandoc
    pandoc = pypandoc.get_pandoc_path()
    with tempfile.TemporaryDirectory(prefix="bench-word-") as tmp:
        folder = Path(tmp)
        source = folder / "plan.md"
        text, blocks = plan_markdown(folder)
        source.write_text(text, encoding="utf-8")
        commands = {"pandoc": ([pandoc, str(source), "-f", "markdown", "-o", str(folder / "pandoc.docx")], folder)}
        nhrap = str(Path(sys.executable).parent / "nhrap")
        for mode in ("consultation", "final"):
            toc = ["--toc-pages", "none"] if mode == "final" else []
            commands[mode] = ([nhrap, "render", str(source), "--mode", mode, *toc, "-o", str(folder / f"{mode}.docx")],
                              folder)
        best = _measure(commands)
        pandoc_time, pandoc_mem = best["pandoc"]
        for mode in ("consultation", "final"):
            ours_time, ours_mem = best[mode]
            results[f"word_render_{mode}"] = {
                "paragraphs": blocks, "nhrap_s": round(ours_time, 3), "pandoc_s": round(pandoc_time, 3),
                "ratio": round(ours_time / pandoc_time, 3), "target_ratio": 0.7,
                "nhrap_peak_mb": round(ours_mem, 1), "pandoc_peak_mb": round(pandoc_mem, 1),
                "met": ours_time <= 0.7 * pandoc_time,
            }
        results["word_render_final"]["note"] = "--toc-pages none: without the LibreOffice layout pass for TOC page numbers"


if __name__ == "__main__":
    import json
    figures: dict = {}
    run(figures)
    print(json.dumps(figures, indent=2))
