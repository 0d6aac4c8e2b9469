"""Run the benchmarks: `python bench/run.py [--only NAME,NAME] [--json PATH]`.

Prints a table (median, baseline median, ratio, target) and writes JSON mapping each
benchmark's name to {median_s, samples, baseline, ratio, target, ...}. A benchmark asked for
with --only brings its baseline along, so every ratio is measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import REGISTRY, Context  # noqa: E402


def load_all() -> None:
    for path in sorted(HERE.glob("bench_*.py")):
        importlib.import_module(path.stem)


def selected(only: str | None) -> list[str]:
    names = list(REGISTRY) if not only else [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise SystemExit(f"error: unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    wanted: list[str] = []
    for name in names:
        base = REGISTRY[name].baseline
        for n in ([base] if base else []) + [name]:
            if n not in wanted:
                wanted.append(n)
    return wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="comma-separated benchmark names")
    parser.add_argument("--json", default=str(HERE / "results.json"), help="where to write JSON")
    parser.add_argument("--list", action="store_true", help="list benchmarks and exit")
    parser.add_argument("--readme", action="store_true", help="also put the table into README.md")
    parser.add_argument("--keep", action="store_true", help="keep the demo databases built for the run")
    args = parser.parse_args()
    load_all()
    if args.list:
        for b in REGISTRY.values():
            print(f"{b.name:<28} baseline={b.baseline or '-':<24} {b.target}")
        return
    ctx = Context()
    results: dict[str, dict] = {}
    try:
        for name in selected(args.only):
            bench = REGISTRY[name]
            print(f"running {name} …", file=sys.stderr, flush=True)
            sample = bench.fn(ctx)
            results[name] = {"median_s": sample.median, "samples": sample.seconds, "baseline": bench.baseline,
                             "target": bench.target, **sample.extra}
    finally:
        if not args.keep:
            shutil.rmtree(ctx.workdir, ignore_errors=True)  # demo databases: hundreds of MB at `large`
    for res in results.values():
        base = res["baseline"]
        if base and base in results and results[base]["median_s"] > 0:
            res["ratio"] = res["median_s"] / results[base]["median_s"]
    print(table(results))
    Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if args.readme:
        update_readme(results)
    print(f"\nJSON written to {args.json}", file=sys.stderr)


def _fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def table(results: dict[str, dict]) -> str:
    lines = ["| benchmark | median | baseline | baseline median | ratio | interleaved | target |",
             "|---|---|---|---|---|---|---|"]
    for name, res in results.items():
        base = res.get("baseline")
        base_med = _fmt(results[base]["median_s"]) if base and base in results else ""
        ratio = f"{res['ratio']:.2f} ×" if "ratio" in res else ""
        # timed alternately with its baseline in one loop (where the benchmark does): the fairer figure
        mixed = f"{res['ratio_interleaved']:.2f} ×" if "ratio_interleaved" in res else ""
        lines.append(f"| {name} | {_fmt(res['median_s'])} | {base or ''} | {base_med} | {ratio} | {mixed} "
                     f"| {res.get('target', '')} |")
    return "\n".join(lines)


def update_readme(results: dict[str, dict]) -> None:
    """Replace the rows of the benchmarks just run in README.md's table, keeping the others."""
    readme = HERE.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench-table -->", "<!-- /bench-table -->"
    if start not in text or end not in text:
        raise SystemExit("error: README.md has no bench-table markers")
    head, rest = text.split(start, 1)
    old, tail = rest.split(end, 1)
    rows = {line.split("|")[1].strip(): line for line in old.splitlines() if line.startswith("| ") and "---" not in line}
    rows.pop("benchmark", None)
    for line in table(results).splitlines()[2:]:
        rows[line.split("|")[1].strip()] = line
    lines = table({}).splitlines()[:2] + [rows[k] for k in sorted(rows)]
    readme.write_text(f"{head}{start}\n{chr(10).join(lines)}\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
