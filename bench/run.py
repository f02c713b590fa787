"""`make bench`: run every benchmark module, write bench/results.json, print one table.

Each bench/bench_<area>.py has `run(results)` adding named entries: a dict
of figures, where `target` and `met` say what was promised and whether it
held. Modules run in a fixed order, each in a Python process of its own (a
process grown by one benchmark would slow and inflate the processes the next
one starts); one failing module is reported and the others still run.
"""
from __future__ import annotations

import importlib
import json
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
MODULES = ("bench_spine", "bench_word", "bench_comments", "bench_checks")


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_format(v)}" for k, v in value.items())
    return str(value)


def print_table(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    table = Table("benchmark", "figures", "target", "met", title="nhrap benchmarks", show_lines=True)
    for name, figures in results.items():
        if not isinstance(figures, dict):
            continue
        shown = {k: v for k, v in figures.items() if k not in ("target", "met")}
        met = figures.get("met")
        table.add_row(name, _format(shown), str(figures.get("target", "")),
                      "" if met is None else ("[green]yes[/]" if met else "[red]no[/]"))
    Console(width=160).print(table)


def main(selected: list[str]) -> int:
    results: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                 "cpus": __import__("os").cpu_count()}}
    failed = []
    for name in MODULES:
        if selected and name not in selected:
            continue
        started = time.perf_counter()
        try:
            results.update(_in_own_process(name))
        except (subprocess.CalledProcessError, ValueError):  # one broken benchmark must not hide the others'
            failed.append(name)
        print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    print_table(results)
    if failed:
        print(f"benchmarks that failed to run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _in_own_process(name: str) -> dict:
    """One benchmark module run in a Python process of its own. Run after another in one process, a
    benchmark inherits its heap: the processes it starts are forked from a large parent, start slower
    and report the parent's size as their own peak memory."""
    with tempfile.TemporaryDirectory(prefix="nhrap-bench-") as tmp:
        figures = Path(tmp) / "figures.json"
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--one", name, str(figures)], check=True)
        return json.loads(figures.read_text(encoding="utf-8"))


def run_one(name: str, figures: Path) -> int:
    results: dict = {}
    try:
        importlib.import_module(name).run(results)
    except Exception:
        traceback.print_exc()
        return 1
    figures.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        sys.exit(run_one(sys.argv[2], Path(sys.argv[3])))
    sys.exit(main(sys.argv[1:]))
