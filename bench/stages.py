"""How each stage of the pipeline grows with the number of events: `python bench/stages.py`.

Builds the benchmark corpus (bench/corpus.py, with one `portfolio: auto` proposal per 200
events) at 2,000, 4,000 and 8,000 events: a cold build (empty cache, one process) in a fresh
process per build, three builds per size, sizes alternating. Each stage is timed where
build.py calls it: load (read and parse files), markdown, validate (records to models),
routes, context, cache (fingerprints and the cache file), render and write. Then it fits
each stage's growth exponent, the slope of log(CPU seconds) against log(events): 1.0 is
linear, and a stage that compares every event with every other one shows as 2. Exits 1
if a stage grows faster than n^EXPONENT_LIMIT. A benchmark, not a timed test: the
exponents, unlike the seconds, should hold on any machine. The garbage collector and
build.py's own glue ("other") are shown apart, for the record.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling script, not a package

STAGES = ("load", "markdown", "validate", "routes", "context", "cache", "render", "write")
# The functions build.py calls, by the stage they belong to.
STAGE_OF = {
    "load_config": "load",
    "scan": "load",
    "read_content": "load",
    "prerender": "markdown",
    "build_site": "validate",
    "load_theme": "validate",
    "proposal_secrets": "validate",
    "plan_routes": "routes",
    "place_static": "routes",
    "ContextBuilder": "context",
    "plan_pages": "cache",
    "render_routes": "render",
    "write_site": "write",
}
# Stages so cheap (milliseconds) that one run is mostly noise run again, pure as they are,
# and the fastest run counts, as with timeit.
RUNS = {"routes": 7}
EXPONENT_LIMIT = 1.1
SIZES = (2000, 4000, 8000)
REPEATS = 3


def cpu_time() -> float:
    """User and system time of this process and of the children it has waited for (workers)."""
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


class StageClock:
    """CPU seconds per stage, each stage's own: time spent in a stage called from inside
    another (contexts made while the cache plans pages) counts for the inner one only.

    CPU time, not wall time: on a shared machine other programs stretch the wall clock and
    would bend the curve. The garbage collector is paused and run after each stage, timed
    apart as "gc": left alone it starts a full collection whenever its counters say so,
    which bills one stage's garbage to whichever stage comes next and makes a stage's curve
    jump at the sizes where a collection happens to start."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys((*STAGES, "gc"), 0.0)
        self.running: list[list[float]] = []  # [started, time spent in inner stages]
        self.last = ""  # the stage that ran last
        self.repeated = 0.0  # the runs of RUNS that did not count

    def wrap(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self.running and stage != self.last:
                self.collect()
                self.last = stage
            runs = []
            for _ in range(RUNS.get(stage, 1)):
                self.running.append([cpu_time(), 0.0])
                try:
                    result = function(*args, **kwargs)
                finally:
                    started, inner = self.running.pop()
                    runs.append((cpu_time() - started, inner))
            spent, inner = min(runs)
            self.seconds[stage] += spent - inner
            if self.running:
                self.running[-1][1] += sum(t for t, _ in runs)
            else:
                self.repeated += sum(t for t, _ in runs) - spent
            return result

        return timed

    def collect(self) -> None:
        """The garbage of the stage that just ended."""
        started = cpu_time()
        gc.collect()
        self.seconds["gc"] += cpu_time() - started


def measure_one_build(root: Path) -> dict[str, float]:
    """One cold build of `root` through propgen's own pipeline (build.build, with the cache
    as `propgen build` uses it and one process), its stages timed where build.py calls them."""
    from propgen import build
    from propgen.cache import BuildCache
    from propgen.context import ContextBuilder

    clock = StageClock()
    for name, stage in STAGE_OF.items():
        setattr(build, name, clock.wrap(getattr(build, name), stage))
    ContextBuilder.for_route = clock.wrap(ContextBuilder.for_route, "context")  # type: ignore[method-assign]
    BuildCache.read = clock.wrap(BuildCache.read, "cache")  # type: ignore[method-assign]
    BuildCache.write = clock.wrap(BuildCache.write, "cache")  # type: ignore[method-assign]
    options = build.BuildOptions(
        site=root,
        out=root / "output",
        now=dt.datetime(2026, 11, 15, tzinfo=dt.UTC),
        jobs=1,
        cache=BuildCache(root / ".propgen-cache"),
        environ={"PROPGEN_SECRET": "bench-secret-" * 4},
    )
    gc.disable()
    started = cpu_time()
    result = build.build(options)
    clock.collect()
    total = cpu_time() - started
    if not result.written:
        sys.exit("\n".join(str(p) for p in result.report.problems) or "the build wrote nothing")
    return {**clock.seconds, "other": total - clock.repeated - sum(clock.seconds.values())}


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
    if not args.one and len(set(args.sizes)) < 2:
        parser.error("--sizes needs at least two different sizes to fit a growth exponent")
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
    rows = (*STAGES, "gc", "other")
    medians = {size: {row: statistics.median(t[row] for t in timings[size]) for row in rows} for size in args.sizes}
    print()
    print("| CPU seconds | " + " | ".join(f"{size:,} events" for size in args.sizes) + " | exponent |")
    print("|---" * (len(args.sizes) + 2) + "|")
    exponents = {}
    for stage in (*rows, "total"):
        seconds = [sum(medians[s].values()) if stage == "total" else medians[s][stage] for s in args.sizes]
        exponents[stage] = exponent(args.sizes, seconds)
        flag = "" if exponents[stage] <= EXPONENT_LIMIT or stage not in STAGES else f"  > {EXPONENT_LIMIT}"
        print(f"| {stage} | " + " | ".join(f"{t:.3f} s" for t in seconds) + f" | {exponents[stage]:.2f}{flag} |")
    if args.json:
        args.json.write_text(json.dumps({"sizes": args.sizes, "timings": timings, "exponents": exponents}, indent=1))
    too_steep = [stage for stage in STAGES if exponents[stage] > EXPONENT_LIMIT]
    if too_steep:
        sys.exit(f"\ngrowing faster than n^{EXPONENT_LIMIT}: {', '.join(too_steep)}")
    print(f"\nevery stage grows no faster than n^{EXPONENT_LIMIT}")


if __name__ == "__main__":
    main()
