"""Run every benchmark script and print what each prints.

Finds `benchmarks/**/run.py` and `benchmarks/**/*_bench.py`, runs each with
this Python from the project directory, one after another, and exits non-zero
if any failed. `make bench` calls this.

    python benchmarks/run_all.py [name-filter]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCHMARKS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCHMARKS_DIR.parent


def scripts() -> list[Path]:
    found = {*BENCHMARKS_DIR.rglob("run.py"), *BENCHMARKS_DIR.rglob("*_bench.py")}
    return sorted(path for path in found if path.parent != BENCHMARKS_DIR)


def main(argv: list[str]) -> int:
    wanted = argv[0] if argv else ""
    failed = []
    for script in scripts():
        name = script.relative_to(PROJECT_DIR)
        if wanted not in str(name):
            continue
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        returncode = subprocess.call([sys.executable, str(script)], cwd=PROJECT_DIR)
        took = time.perf_counter() - started
        print(f"=== {name}: exit {returncode} after {took:.0f} s ===", flush=True)
        if returncode:
            failed.append(str(name))
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
