"""Rendering alone, for changes too small to time by the clock: `python bench/render.py --events 300`.

Builds the benchmark corpus (bench/corpus.py) in one process, then renders every page of
it `--passes` more times in that process and prints the CPU seconds of each pass. A change
to rendering of a few percent is lost in a shared machine's noise; counted in instructions
it is not. Run it under callgrind with `--passes 0` and `--passes 2`: the difference between
the two counts is two passes' instructions, the same on every run of the same code.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/render.py --passes 0
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/render.py --passes 2

Cards and other remembered macros are rendered once by the build and reused by the passes,
as a build reuses them from page to page. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling script, not a package

from propgen import build, cli, render

EPOCH = "1794700800"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300, help="how many events the corpus has")
    parser.add_argument("--passes", type=int, default=3, help="how many times every page is rendered after the build")
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    with tempfile.TemporaryDirectory(prefix="propgen-render-") as folder:
        site = corpus.PropgenSite(Path(folder))
        site.write(corpus.make_events(args.events))
        seen: dict[str, Any] = {}
        made = build.render_routes

        def noted(env: Any, routes: Any, contexts: Any, *rest: Any, **options: Any) -> Any:
            seen.update(env=env, routes=routes, contexts=contexts)
            return made(env, routes, contexts, *rest, **options)

        build.render_routes = noted
        code = cli.main(["build", "--site", folder, "--no-cache", "--jobs", "1"])
        if code != 0 or not seen:
            print("the build failed", file=sys.stderr)
            return 1
        gc.disable()  # as a build runs
        for number in range(1, args.passes + 1):
            started = time.process_time()
            for route in seen["routes"]:
                render.render_route(seen["env"], route, seen["contexts"], "")
            print(f"pass {number}: {len(seen['routes'])} pages in {time.process_time() - started:.3f} s of CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
