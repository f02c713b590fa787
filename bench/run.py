"""`make bench`: run every benchmark module, write bench/results.json, print one table.

Each bench/bench_<area>.py has `run(results)` adding named entries: a dict
of figures, where `target` and `met` say what was promised and whether it
held. Modules run in a fixed order; one failing module is reported and the
others still run.
"""
from __future__ import annotations

import importlib
import json
import platform
import sys
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
            importlib.import_module(name).run(results)
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    print_table(results)
    if failed:
        print(f"benchmarks that failed to run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
