"""How each stage of the pipeline grows with the number of events: `python bench/stages.py`.

Builds the benchmark corpus (bench/corpus.py, with one `portfolio: auto` proposal per 200
events) at 2,000, 4,000 and 8,000 events, times each stage (load, validate, routes,
context, render, write) in a fresh process per build, three builds per size, sizes
alternating, and fits the growth exponent of each stage: the slope of log(CPU time)
against log(events). 1.0 is linear; a stage that compares every event with every other one shows
as 2. Exits 1 if any stage grows faster than EXPONENT_LIMIT. A benchmark, not a timed
test: the exponent, unlike the seconds, should hold on any machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling script, not a package

STAGES = ("load", "validate", "routes", "context", "render", "write", "gc")
EXPONENT_LIMIT = 1.1
SIZES = (2000, 4000, 8000)
REPEATS = 3
T = TypeVar("T")


def cpu_time() -> float:
    """User and system time of this process and of the children it has waited for (workers)."""
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def timed(work: Callable[[], T], seconds: dict[str, float], stage: str, runs: int = 1) -> T:
    """Run one stage; its CPU seconds go to seconds[stage], the collector's to seconds["gc"].

    CPU time, not wall time: on a shared machine other programs stretch the wall clock and
    would bend the curve. The garbage collector is paused during the stage and run once
    after it: left alone, it runs a full collection whenever its counters say so, which
    puts the cost of one stage's garbage in whichever stage comes next and makes a stage's
    curve jump at the sizes where a collection starts. Timed apart, each is a clean curve.
    A cheap, pure stage runs several times (as many at every size) and its fastest run
    counts, as with timeit."""
    times: list[float] = []
    gc.disable()
    try:
        for _ in range(runs):
            started = cpu_time()
            result = work()
            times.append(cpu_time() - started)
    finally:
        gc.enable()
    started = cpu_time()
    gc.collect()
    seconds["gc"] = seconds.get("gc", 0.0) + cpu_time() - started
    seconds[stage] = min(times)
    return result


def measure_one_build(root: Path) -> dict[str, float]:
    """Every stage of one cold build of `root`, the way build.py chains them, in this process."""
    from propgen.config import load_config
    from propgen.context import ContextBuilder
    from propgen.errors import Report
    from propgen.render import render_routes
    from propgen.routes import Route, plan_routes
    from propgen.sources import display_path, read_content, scan
    from propgen.theme import load_theme, make_environment
    from propgen.validate import build_site
    from propgen.write import OutputFile, Outputs, write_site

    report = Report()
    now = dt.datetime(2026, 11, 15, tzinfo=dt.UTC)
    seconds: dict[str, float] = {}

    def load() -> tuple[Any, Any, Any]:
        config = load_config(root, report, None)
        files = scan(root, report)
        return config, files, read_content(files, report)

    config, files, content = timed(load, seconds, "load")

    def validate(content: Any) -> tuple[Any, Any]:
        return build_site(config, files, content, report), load_theme(root, config, report)

    site, theme = timed(functools.partial(validate, content), seconds, "validate")
    del content  # as in build.py, the documents' YAML nodes are not kept past validation
    if report.errors or theme is None:
        sys.exit("\n".join(str(p) for p in report.errors))
    routes = timed(lambda: plan_routes(site, "bench-secret-" * 4, now.date(), {}), seconds, "routes", runs=9)

    def contexts() -> tuple[ContextBuilder, dict[str, Any]]:
        builder = ContextBuilder(site, routes, now)
        return builder, {r.output: builder.for_route(r) for r in routes if r.kind != "calendar"}

    builder, made = timed(contexts, seconds, "context", runs=5)

    class Made(ContextBuilder):
        """The contexts made above, so the render stage times templates only."""

        def __init__(self) -> None:
            self.__dict__.update(builder.__dict__)

        def for_route(self, route: Route) -> dict[str, Any]:
            return made[route.output]  # type: ignore[no-any-return]

    rendered = timed(lambda: render_routes(make_environment(theme, config), routes, Made(), report), seconds, "render")

    def write() -> None:
        outputs = Outputs(report)
        for route in routes:
            if route.output in rendered:
                outputs.add(OutputFile(route.output, route.source or route.kind, rendered[route.output]))
        for path, source in theme.assets().items():
            outputs.add(OutputFile(path, display_path(source), source=source))
        write_site(outputs, root / "output")

    timed(write, seconds, "write")
    if report.errors:
        sys.exit("\n".join(str(p) for p in report.errors))
    return seconds


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """The least-squares slope of log(seconds) against log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(t, 1e-9)) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--json", type=Path, help="also write the timings here")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # internal: measure this site, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one_build(args.one)))
        return
    timings: dict[int, list[dict[str, float]]] = {size: [] for size in args.sizes}
    with tempfile.TemporaryDirectory(prefix="propgen-stages-") as temp:
        sites = {}
        for size in args.sizes:
            sites[size] = corpus.PropgenSite(Path(temp) / str(size), proposals=size // 200)
            sites[size].write(corpus.make_events(size))
        for repeat in range(args.repeats):
            for size in args.sizes:
                sites[size].clean()
                out = subprocess.run(
                    [sys.executable, __file__, "--one", str(sites[size].root)], capture_output=True, text=True, check=False
                )
                if out.returncode != 0:
                    sys.exit(f"the build of {size} events failed:\n{out.stdout}{out.stderr}")
                timings[size].append(json.loads(out.stdout))
                total = sum(timings[size][-1].values())
                print(f"  {repeat + 1}/{args.repeats}  {size:>6,} events  {total:6.2f} s of CPU", flush=True)
    medians = {size: {stage: statistics.median(t[stage] for t in timings[size]) for stage in STAGES} for size in args.sizes}
    print()
    print("| CPU seconds | " + " | ".join(f"{size:,} events" for size in args.sizes) + " | exponent |")
    print("|---" * (len(args.sizes) + 2) + "|")
    exponents = {}
    for stage in (*STAGES, "total"):
        seconds = [sum(medians[s].values()) if stage == "total" else medians[s][stage] for s in args.sizes]
        exponents[stage] = exponent(args.sizes, seconds)
        flag = "" if exponents[stage] <= EXPONENT_LIMIT else f"  > {EXPONENT_LIMIT}"
        print(f"| {stage} | " + " | ".join(f"{t:.3f} s" for t in seconds) + f" | {exponents[stage]:.2f}{flag} |")
    if args.json:
        args.json.write_text(json.dumps({"sizes": args.sizes, "timings": timings, "exponents": exponents}, indent=1))
    too_steep = [stage for stage in STAGES if exponents[stage] > EXPONENT_LIMIT]
    if too_steep:
        sys.exit(f"\ngrowing faster than n^{EXPONENT_LIMIT}: {', '.join(too_steep)}")
    print(f"\nevery stage grows no faster than n^{EXPONENT_LIMIT}")


if __name__ == "__main__":
    main()
