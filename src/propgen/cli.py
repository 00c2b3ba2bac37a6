"""The command line: parse arguments, call the library, print problems, choose the exit code.

Exit codes: 0 success, 1 problems in the content (or theme), 2 a usage mistake.
No user mistake ever prints a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__, scaffold
from .build import BuildOptions, BuildResult, build
from .dates import now_from_env
from .errors import Report
from .sources import display_path


class UsageError(Exception):
    """A mistake in how propgen was called (exit 2), with a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except UsageError as exc:
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        print(f"propgen: error: {exc}{hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("propgen: interrupted", file=sys.stderr)
        return 130


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="propgen",
        description="Build an event coordinator's portfolio site and private proposals from YAML and Markdown.",
    )
    parser.add_argument("--version", action="version", version=f"propgen {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = commands.add_parser("build", help="build the site into the output folder")
    _site_argument(p)
    p.add_argument("--out", type=Path, help="output folder (default: output/ in the site folder)")
    p.add_argument("--drafts", action="store_true", help="include events marked draft: true")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (use in CI)")
    p.add_argument("--base-url", help="override base_url from propgen.yaml, e.g. for a preview deploy")
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("check", help="validate content and theme without writing anything")
    _site_argument(p)
    p.add_argument("--drafts", action="store_true", help="check as if building drafts too")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(run=cmd_check)

    p = commands.add_parser("init", help="create a new site folder with example content")
    p.add_argument("dir", type=Path, metavar="DIR", help="folder to create (must not exist or be empty)")
    p.set_defaults(run=cmd_init)

    p = commands.add_parser("new", help="create a new event or page from a template")
    p.add_argument("kind", choices=["event", "page"], help="what to create")
    p.add_argument("title", nargs="+", metavar="TITLE", help="its title; the file name is made from it")
    _site_argument(p)
    p.set_defaults(run=cmd_new)
    return parser


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site folder (default: the current folder)")


def site_root(args: argparse.Namespace) -> Path:
    root: Path = args.site
    if not root.is_dir():
        raise UsageError(f"the site folder '{root}' does not exist", "pass the folder that holds propgen.yaml with --site DIR")
    if not (root / "propgen.yaml").is_file():
        raise UsageError(
            f"'{display_path(root) or '.'}' is not a propgen site: it has no propgen.yaml",
            "run propgen in your site's folder, pass --site DIR, or create a site with: propgen init DIR",
        )
    return root


def output_folder(root: Path, out: Path | None) -> Path:
    """The output folder, refusing places a swap-in-place would destroy."""
    folder = (out if out is not None else root / "output").resolve()
    site = root.resolve()
    protected = [site, *(site / name for name in ("content", "static", "themes"))]
    if folder in protected or folder in site.parents or any(p in folder.parents for p in protected[1:]):
        raise UsageError(
            f"refusing to write the site into '{display_path(folder)}': it would replace your own files",
            "choose a separate folder, e.g. --out output",
        )
    if folder.is_file():
        raise UsageError(f"the output '{display_path(folder)}' is a file, not a folder", "choose a folder with --out DIR")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / "index.html").is_file() and not (folder / "sitemap.xml").is_file():
        raise UsageError(
            f"'{display_path(folder)}' holds files that do not look like a built site; propgen replaces its output folder",
            "choose an empty or new folder with --out DIR",
        )
    return folder


def print_problems(report: Report, strict: bool) -> None:
    for problem in report.sorted():
        print(problem, file=sys.stderr)


class TerminalProgress:
    """A one-line counter on a terminal; silent in CI and pipes."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.enabled and time.monotonic() - self.started > 0.5 and (done % 25 == 0 or done == total):
            print(f"\rrendering {done}/{total} pages", end="", file=sys.stderr, flush=True)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


def run_build(args: argparse.Namespace, write: bool) -> tuple[BuildResult, float, Path]:
    root = site_root(args)
    out = output_folder(root, getattr(args, "out", None))
    options = BuildOptions(
        site=root,
        out=out,
        now=now_from_env(),
        drafts=args.drafts,
        strict=args.strict,
        base_url=getattr(args, "base_url", None),
        write=write,
        environ=dict(os.environ),
    )
    progress = TerminalProgress()
    started = time.monotonic()
    try:
        result = build(options, progress)
    finally:
        progress.clear()
    return result, time.monotonic() - started, out


def _counts(result: BuildResult) -> str:
    warnings = len(result.report.warnings)
    return f"{result.pages} pages, {result.proposals} proposals, {warnings} warning{'s' if warnings != 1 else ''}"


def cmd_build(args: argparse.Namespace) -> int:
    if args.base_url is not None and not args.base_url.startswith(("http://", "https://")):
        raise UsageError(
            f"--base-url '{args.base_url}' is not a web address", "write it in full, e.g. --base-url https://example.com/site/"
        )
    result, seconds, out = run_build(args, write=True)
    print_problems(result.report, args.strict)
    if not result.written:
        errors = len(result.report.errors) + (len(result.report.warnings) if args.strict else 0)
        print(f"build failed: {errors} problem{'s' if errors != 1 else ''}; {display_path(out)}/ was left as it was", file=sys.stderr)
        return 1
    print(f"built {_counts(result)} in {seconds:.2f} s into {display_path(out)}/ ({result.changed} files changed)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    result, seconds, _out = run_build(args, write=False)
    print_problems(result.report, args.strict)
    if result.report.failed(args.strict) or not result.outputs:
        print(f"check failed: {len(result.report.errors)} errors, {len(result.report.warnings)} warnings", file=sys.stderr)
        return 1
    print(f"checked {_counts(result)} in {seconds:.2f} s: no errors")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"'{folder}' already exists and is not empty", "choose a new folder name")
    created = scaffold.init_site(folder)
    print(f"created a new site in {display_path(folder)}/ ({len(created)} files)")
    print(f"next: propgen build --site {folder}   (or: cd {folder} && propgen serve)")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    root = site_root(args)
    title = " ".join(args.title).strip()
    if not title:
        raise UsageError("the title is empty", 'give a title, e.g. propgen new event "Annual Gala 2026"')
    now = now_from_env().date()
    try:
        created = scaffold.new_content(root, args.kind, title, now)
    except FileExistsError as exc:
        print(
            f"{display_path(Path(str(exc)))}:1:1: error: this file already exists (hint: choose another title, or edit that file)",
            file=sys.stderr,
        )
        return 1
    for path in created:
        print(f"created {display_path(path)}")
    return 0
