"""propgen's preview, saved again and again: `python bench/preview.py --events 1000`.

Generates the benchmark's site (bench/corpus.py) into a temporary folder, starts
`propgen serve` on it (a free loopback port, its preview folder in TMPDIR) and, once its
first build is done, saves files as an editor does, one at a time, in turns: a write-up,
a record, a template (the card, on every list page). For each save it records the build's
own time as the preview prints it (`rebuilt ... in T s`) and the wall time from the save
to that line (not to the browser's reload), which adds the preview's look at every file to
see what moved (0.2 s at 20,000 files), the 0.3 s a burst of saves is given to settle and a
last look. Prints the medians (the first save after the start left out, so the write-up's
has one save fewer) and writes every save as JSON. A benchmark, not a test: the numbers
belong to the machine they were measured on.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling script, not a package

EPOCH = "1794700800"
REBUILT = re.compile(r"^rebuilt .* in (\d+\.\d+) s$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """`propgen serve` on a site, its lines read as they come, each with the time it came."""

    def __init__(self, site: Path) -> None:
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        command = [sys.executable, "-m", "propgen", "serve", "--site", str(site), "--port", str(free_port())]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))

    def wait_for(self, wanted: Callable[[str], bool], timeout: float) -> tuple[float, str]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                sys.exit(f"propgen serve said nothing wanted in {timeout:.0f} s")
            if ": error: " in line or line.startswith("build failed"):
                sys.exit(f"propgen serve: {line}")
            if wanted(line):
                return at, line

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def saves(site: corpus.PropgenSite, events: list[corpus.BenchEvent]) -> list[tuple[str, Callable[[int], None]]]:
    """The saves of one turn, each given the turn's number (every save writes new text): each
    writes one file, as an editor does, and changes only what its name says."""
    middle = events[len(events) // 2]
    writeup = site.root / f"content/events/{middle.slug}.md"
    record = site.root / f"content/events/{middle.slug}.yaml"

    def save_writeup(turn: int) -> None:
        writeup.write_text(writeup.read_text() + f"\nSaved again, turn {turn}.\n")

    def save_record(turn: int) -> None:
        lines = record.read_text().splitlines(keepends=True)
        record.write_text("".join(f"guests: {middle.guests + turn + 1}\n" if line.startswith("guests:") else line for line in lines))

    def save_template(turn: int) -> None:
        site.edit_template()

    return [("a write-up saved", save_writeup), ("a record saved", save_record), ("a template saved", save_template)]


def run(count: int, turns: int) -> list[dict[str, object]]:
    events = corpus.make_events(count)
    measured: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="propgen-bench-preview-") as temp:
        site = corpus.PropgenSite(Path(temp) / "propgen")
        site.write(events)
        served = Served(site.root)
        try:
            started = time.monotonic()
            at, line = served.wait_for(lambda text: text.startswith("built "), timeout=600)
            print(f"first build: {line} ({at - started:.1f} s from the start)", flush=True)
            served.wait_for(lambda text: text.startswith("watching for changes"), timeout=60)
            number = 0
            for turn in range(turns):
                for name, save in saves(site, events):
                    time.sleep(1.0)  # apart from the last save: not one burst
                    saved = time.monotonic()
                    save(turn)
                    at, line = served.wait_for(lambda text: REBUILT.match(text) is not None, timeout=600)
                    match = REBUILT.match(line)
                    assert match is not None
                    build = float(match.group(1))
                    measured.append({"save": name, "turn": turn, "number": number, "build_seconds": build, "wall_seconds": at - saved})
                    print(f"  turn {turn + 1}/{turns}  {name:<18} build {build:6.2f} s   save to page {at - saved:6.2f} s", flush=True)
                    number += 1
        finally:
            served.stop()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000, help="how many events the site has (1000 or 10000)")
    parser.add_argument("--turns", type=int, default=5, help="how many times each file is saved")
    parser.add_argument("--json", type=Path, help="where to write every save (default: bench-preview-<events>.json here)")
    args = parser.parse_args()
    print(f"{args.events:,} events, {args.turns} turns", flush=True)
    measured = run(args.events, args.turns)
    later = [m for m in measured if m["number"] != 0]  # the first save after the start decodes what the first build made
    print(
        f"\n| {args.events:,} events, median of {args.turns} turns (the first save after the start left out) | build | save to log line |"
    )
    print("|---|---|---|")
    for name in dict.fromkeys(str(m["save"]) for m in measured):
        mine = [m for m in later if m["save"] == name]
        build = statistics.median(float(m["build_seconds"]) for m in mine)  # type: ignore[arg-type]
        wall = statistics.median(float(m["wall_seconds"]) for m in mine)  # type: ignore[arg-type]
        print(f"| {name} | {build:.2f} s | {wall:.2f} s |")
    target = args.json or Path(f"bench-preview-{args.events}.json")
    target.write_text(json.dumps({"events": args.events, "turns": args.turns, "saves": measured}, indent=1))
    print(f"\nevery save: {target}")


if __name__ == "__main__":
    main()
