"""The command line: parse arguments, call the library, print problems, choose the exit code.

Exit codes: 0 success, 1 problems in the content (or theme), 2 a usage mistake.
No user mistake ever prints a traceback.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import difflib
import errno
import os
import shlex
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import babel

from . import __version__, scaffold
from .build import BuildOptions, BuildResult, build, load, plural
from .cache import CACHE_FOLDER, BuildCache
from .config import load_config
from .dates import SourceDateEpochError, now_from_env
from .errors import Report, mask, os_hint, shorten
from .i18n import babel_locale, language_name, someones_language, speaks, suggested_code, unknown_locale
from .models import Proposal, Prospectus, Site
from .parallel import default_jobs
from .routes import overview_path, proposal_path, prospect_path
from .sources import display_path
from .theme import BUILTIN_THEMES
from .urls import Urls
from .write import MARKER, may_replace

if TYPE_CHECKING:  # imported where links are checked: with its HTML parser, 30 ms of every other command's imports
    from .linkcheck import LinkScan


class UsageError(Exception):
    """A mistake in how propgen was called (exit 2), with a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def run() -> NoReturn:
    """The `propgen` command (pyproject.toml's script, and `python -m propgen`)."""
    exit_without_freeing(main())


def exit_without_freeing(code: int) -> NoReturn:
    """End the process without freeing its objects one by one, as mypy's `hard_exit` does.
    After a build of one edit at 10,000 events, Python's own exit spent half a second giving
    back, object by object, memory that the system takes back at once. The exit handlers still
    run (they remove propgen's temporary folders) and the streams are flushed. A thread that
    still runs (the preview's) gets Python's own exit, which waits for it."""
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away: nothing more can be said
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    try:
        misplaced_locale(sys.argv[1:] if argv is None else list(argv))
    except UsageError as exc:
        print(f"propgen: error: {exc} (hint: {exc.hint})", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        require_working_folder()
        return int(args.run(args))
    except SourceDateEpochError as exc:
        print(f"propgen: error: {exc} (hint: unset it, or set it to e.g. $(git log -1 --format=%ct))", file=sys.stderr)
        return 2
    except OSError as exc:  # the disk or the system said no: say what and where, never a traceback
        where = f" {display_path(Path(exc.filename))}" if isinstance(exc.filename, str) and exc.filename else ""
        print(mask(f"propgen: error: cannot use{where}: {exc.strerror or exc} (hint: {os_hint(exc)})"), file=sys.stderr)
        return 1
    except UsageError as exc:
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        print(f"propgen: error: {exc}{hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("propgen: interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug in propgen: its traceback helps a report, masked like every message
        print(mask(f"propgen: internal error, please report it:\n{traceback.format_exc()}"), end="", file=sys.stderr)
        return 1


def misplaced_locale(argv: Sequence[str]) -> None:
    """`propgen build --locale id`: a site's language is a setting of the site, not of one build;
    argparse would only say "unrecognized arguments". Say where it goes, with the code to write."""
    if not argv or argv[0] not in ("build", "check", "serve"):
        return
    for index, word in enumerate(argv):
        if word == "--locale" or word.startswith("--locale="):
            value = word.partition("=")[2] or (argv[index + 1] if index + 1 < len(argv) else "")
            code = suggested_code(value)
            raise UsageError(
                f"propgen {argv[0]} has no --locale: a site's language is set in propgen.yaml",
                f"write  locale: {code}  in propgen.yaml"
                if code
                else "write  locale: id  for Indonesian or  locale: en  for English in propgen.yaml",
            )


def require_working_folder() -> None:
    """That the folder propgen was started in exists: every message names files from it, and a relative
    --site, --out or --cache-dir starts there, so one deleted under the shell is said as such."""
    try:
        os.getcwd()
    except FileNotFoundError:
        raise UsageError(
            "the current folder no longer exists (it was deleted or moved while the shell stood in it)",
            "cd to your site's folder, or any folder that exists, and run propgen again",
        ) from None


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
    p.add_argument("--drafts", action="store_true", help="include events and proposals marked draft: true")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (use in CI)")
    p.add_argument("--base-url", help="override base_url from propgen.yaml, e.g. for a preview deploy")
    p.add_argument(
        "--pdf",
        nargs="?",
        const="a4",
        choices=["a4", "letter"],
        help="also write a PDF of each proposal and prospect page beside it, on A4 (default) or US Letter paper; needs propgen[pdf] and Chromium",
    )
    _speed_arguments(p)
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("check", help="validate content and theme without writing anything; with --links, every link too")
    _site_argument(p)
    p.add_argument("--drafts", action="store_true", help="check as if building drafts too")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (also checks every link, like build --strict)")
    p.add_argument("--links", action="store_true", help="check that every link, #fragment, image, srcset, stylesheet and script resolves")
    p.add_argument("--out", type=Path, metavar="DIR", help="check the links of a site already built into DIR instead of building it")
    p.add_argument("--base-url", help="the base_url to build for (or that DIR was built for), instead of propgen.yaml's")
    p.add_argument("--external", action="store_true", help="also check links to other sites, over the network (answers kept for a day)")
    p.add_argument("--timeout", type=float, default=10, metavar="SECONDS", help="--external: how long to wait for each site (default: 10)")
    p.add_argument(
        "--max-concurrency",
        type=int,
        default=8,
        metavar="N",
        help="--external: sites asked at once, each one request at a time (default: 8)",
    )
    _speed_arguments(p)
    p.set_defaults(run=cmd_check)

    p = commands.add_parser("init", help="create a new site folder with example content")
    p.add_argument("dir", type=Path, metavar="DIR", help="folder to create (must not exist or be empty)")
    p.add_argument("--locale", help="the site's language: --locale id writes the example site in Indonesian (default en)")
    p.set_defaults(run=cmd_init)

    p = commands.add_parser("new", help="create a new event, page, proposal or sponsorship prospectus from a template")
    p.add_argument("kind", choices=["event", "page", "proposal", "sponsorship"], help="what to create")
    p.add_argument("--locale", help="a proposal's language and formats when not the site's, e.g. --locale en")
    p.add_argument("title", nargs="+", metavar="TITLE", help="its title (for a proposal: the client); the file name is made from it")
    _site_argument(p)
    p.set_defaults(run=cmd_new)

    p = commands.add_parser("serve", help="preview the site locally; rebuild and reload the browser on every save")
    _site_argument(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--open", action="store_true", help="open the site in your web browser")
    p.add_argument("--drafts", action="store_true", help="include events marked draft: true (draft proposals are always previewed)")
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser("proposals", help="list every proposal with its private link")
    _site_argument(p)
    p.add_argument("--version", dest="version_of", metavar="SLUG", help="print only that proposal's version (what an acceptance names)")
    p.set_defaults(run=cmd_proposals)
    return parser


def _speed_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help=f"processes for rendering (default: this machine's cores, {default_jobs()}); same output for any N",
    )
    parser.add_argument("--cache-dir", type=Path, metavar="DIR", help="the build cache (default: .propgen-cache/ in the site folder)")
    parser.add_argument("--no-cache", action="store_true", help="build everything from scratch, and leave the cache as it is")


def _jobs(args: argparse.Namespace) -> int:
    jobs: int | None = getattr(args, "jobs", None)
    if jobs is None:
        return default_jobs()
    if jobs < 1:
        raise UsageError(f"--jobs {jobs} is not a number of processes", "use 1 or more, e.g. --jobs 2")
    return jobs


def _cache(args: argparse.Namespace, root: Path) -> BuildCache | None:
    if getattr(args, "no_cache", False):
        return None
    folder: Path | None = getattr(args, "cache_dir", None)
    return BuildCache(Path(os.path.abspath(folder)) if folder is not None else root / CACHE_FOLDER)  # absolute: see site_root


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site folder (default: the current folder)")


def site_root(args: argparse.Namespace) -> Path:
    root: Path = args.site
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "does not exist"
        raise UsageError(f"the site folder '{root}' {what}", "pass the folder that holds propgen.yaml with --site DIR")
    if not (root / "propgen.yaml").is_file():
        raise UsageError(
            f"'{display_path(root) or '.'}' is not a propgen site: it has no propgen.yaml",
            "run propgen in your site's folder, pass --site DIR, or create a site with: propgen init DIR",
        )
    # Absolute from here on (links kept as named): a build that swaps in a new output folder
    # removes the working folder of a propgen started inside it, and "../content" with it.
    return Path(os.path.abspath(root))


def output_folder(root: Path, out: Path | None) -> Path:
    """The output folder, refusing places a swap-in-place would destroy: the site's own folders,
    and any folder propgen did not make (write.may_replace, the one rule, checked again under the lock)."""
    folder = (out if out is not None else root / "output").resolve()
    site = root.resolve()
    protected = [site, *((site / name).resolve() for name in ("content", "static", "themes"))]  # one may be a link
    if folder in protected or folder in site.parents or any(p in folder.parents for p in protected[1:]):
        raise UsageError(
            f"refusing to write the site into '{display_path(folder)}': it would replace your own files",
            "choose a separate folder, e.g. --out output",
        )
    if folder.is_file():
        raise UsageError(f"the output '{display_path(folder)}' is a file, not a folder", "choose a folder with --out DIR")
    if not may_replace(folder):
        shown = display_path(folder)
        raise UsageError(
            f"refusing to replace '{shown}': propgen replaces its output folder completely, and this one was not made by propgen"
            f" (it is not empty and has no {MARKER} file)",
            f"build into a new or empty folder with --out DIR; if '{shown}' is the output of an older propgen,"
            f" delete it once by hand (or add an empty {MARKER} file to it) and build again",
        )
    return folder


def print_problems(report: Report) -> None:
    for problem in report.sorted():
        print(problem, file=sys.stderr)


class TerminalProgress:
    """One line on a terminal saying what the build is doing; silent in CI and pipes."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or (total and done % 25 and done != total):
            return
        text = f"{stage} {done}/{total} files" if total else f"{stage}…"
        print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


def check_cache_folder(root: Path, out: Path, cache: BuildCache | None) -> None:
    """The cache in a folder of its own: inside the output every build would replace or remove
    it (and its files would be published), inside content/, static/ or themes/ its files would
    be read as the site's; holding the site or the output, its files would be mixed with theirs;
    in a working folder beside the output, a build would make, move or remove it as its own."""
    if cache is None or cache.folder is None:
        return
    folder, site, output = cache.folder.resolve(), root.resolve(), out.resolve()
    hint = f"keep it in a folder of its own, e.g. --cache-dir {CACHE_FOLDER} (the default)"
    places = [
        (output, "the output folder"),
        *(((site / name).resolve(), f"the site's {name}/ folder") for name in ("content", "static", "themes")),  # one may be a link
    ]
    for place, what in places:
        if folder == place or place in folder.parents:
            raise UsageError(f"the build cache '{display_path(folder)}' is inside {what}", hint)
    if folder == site or folder in site.parents:
        raise UsageError(f"the build cache '{display_path(folder)}' is the site folder or holds it", hint)
    if folder in output.parents:
        raise UsageError(
            f"the output folder '{display_path(output)}' is inside the build cache '{display_path(folder)}'",
            "build into a folder of its own, e.g. --out output",
        )
    for beside in {out.absolute(), output}:  # the output as named and, when it is a link, where it leads
        working = f".propgen-{beside.name}."  # publish.py's .new, .old, .patch and .lock, spool.py's .pages-<pid>
        if any(p.parent == beside.parent.resolve() and p.name.startswith(working) for p in (folder, *folder.parents)):
            raise UsageError(
                f"the build cache '{display_path(folder)}' is one of the working folders propgen keeps beside the output ({working}*)", hint
            )


def build_options(args: argparse.Namespace, write: bool) -> BuildOptions:
    root = site_root(args)
    out = output_folder(root, getattr(args, "out", None)) if write else root / "output"
    cache = _cache(args, root)
    check_cache_folder(root, out, cache)  # `check` too: its cache there would be in the next build's output
    return BuildOptions(
        site=root,
        out=out,
        now=now_from_env(),
        drafts=getattr(args, "drafts", False),
        strict=getattr(args, "strict", False),
        base_url=getattr(args, "base_url", None),
        write=write,
        check_links=getattr(args, "links", False),
        environ=dict(os.environ),
        jobs=_jobs(args),
        cache=cache,  # check reads it (and keeps processed photos) but records nothing
        pdf=(getattr(args, "pdf", None) or "") if write else "",
    )


def run_build(args: argparse.Namespace, write: bool) -> tuple[BuildResult, float, Path]:
    options = build_options(args, write)
    out = options.out
    progress = TerminalProgress()
    started = time.monotonic()
    try:
        result = build(options, progress)
    finally:
        progress.clear()
    return result, time.monotonic() - started, out


def require_web_address(base_url: str | None) -> None:
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url '{base_url}' is not a web address", "write it in full, e.g. --base-url https://example.com/site/")


def cmd_build(args: argparse.Namespace) -> int:
    require_web_address(args.base_url)
    result, seconds, out = run_build(args, write=True)
    print_problems(result.report)
    if result.write_error is not None:
        print(f"propgen: error: {result.write_error} (hint: {result.write_error.hint})", file=sys.stderr)
        return 1
    if not result.written:
        errors = len(result.report.errors) + (len(result.report.strict_warnings) if args.strict else 0)
        kept = f"{display_path(out)}/ was left as it was" if os.path.lexists(out) else "nothing was written"  # a first build
        print(f"build failed: {plural(errors, 'problem')}; {kept}", file=sys.stderr)
        return 1
    rendered = f"{result.rendered} rendered, " if result.rendered < len(result.routes) else ""
    detail = "nothing changed since the last build" if result.skipped else f"{rendered}{plural(result.changed, 'file')} changed"
    print(f"built {result.summary()} in {seconds:.2f} s into {display_path(out)}/ ({detail})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    require_web_address(args.base_url)
    if not args.timeout > 0:
        raise UsageError(f"--timeout {args.timeout:g} is not a number of seconds", "use e.g. --timeout 10")
    if args.max_concurrency < 1:
        raise UsageError(f"--max-concurrency {args.max_concurrency} is not a number of sites", "use e.g. --max-concurrency 8")
    args.links = args.links or args.external
    if args.out is not None:
        return check_built_folder(args)
    result, seconds, _out = run_build(args, write=False)
    summary = f"checked {result.summary()} in {seconds:.2f} s: no errors"
    if result.links is not None:
        summary += f"; {plural(result.links.references, 'link')} in {plural(result.links.files, 'file')} checked"
        if args.external and not result.report.errors:
            summary += external_links(result.links, result.report, args)
    print_problems(result.report)
    if result.report.failed(args.strict) or not result.outputs:
        print(
            f"check failed: {plural(len(result.report.errors), 'error')}, {plural(len(result.report.warnings), 'warning')}", file=sys.stderr
        )
        return 1
    print(summary)
    return 0


def check_built_folder(args: argparse.Namespace) -> int:
    """`propgen check --out DIR`: the links of a site built earlier (base_url from the site's propgen.yaml or --base-url)."""
    root = site_root(args)
    folder: Path = args.out
    if not (folder / "index.html").is_file():
        what = "does not exist" if not folder.exists() else "is not a built site: it has no index.html"
        raise UsageError(f"'{display_path(folder)}' {what}", "build the site first, e.g. propgen build --out DIR, or drop --out")
    from .linkcheck import built_for, check_links, folder_files

    report = Report()
    started = time.monotonic()
    config = load_config(root, report, args.base_url)
    summary = ""
    if config is not None:
        made_for = built_for(folder)
        if made_for and made_for != config.base_url:
            raise UsageError(f"'{display_path(folder)}' was built for {made_for}, not {config.base_url}", f"add --base-url {made_for}")
        links = check_links(folder_files(folder), config.base_url, report)
        summary = f"checked {plural(links.references, 'link')} in {plural(links.files, 'file')} of {display_path(folder)}/"
        summary += f" in {time.monotonic() - started:.2f} s: no errors"
        if args.external and not report.errors:
            summary += external_links(links, report, args)
    print_problems(report)
    if report.failed(args.strict) or config is None:
        print(f"check failed: {plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}", file=sys.stderr)
        return 1
    print(summary)
    return 0


def external_links(links: LinkScan, report: Report, args: argparse.Namespace) -> str:
    """Check the external links (in the report); the words the summary line adds about them."""
    # Imported here: HTTP and TLS are a twentieth of every other command's start-up.
    from .external import cache_file, check_external
    from .external import now as wall_clock

    progress = TerminalProgress()
    progress("checking external links", 0, 0)
    try:
        checked = check_external(links.external, report, args.timeout, args.max_concurrency, cache_file(dict(os.environ)), wall_clock())
    finally:
        progress.clear()
    return f"; {plural(checked.addresses, 'external link')} ({checked.cached} of them answered well within a day, not asked again)"


def cmd_init(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"'{folder}' already exists and is not empty", "choose a new folder name")
    locale = locale_option(args.locale)
    created = scaffold.init_site(folder, locale)
    print(f"created a new site in {display_path(folder)}/ ({len(created)} files)")
    if locale and not speaks([BUILTIN_THEMES / "default" / "locales"], locale):  # said now, not first by the build
        name = language_name(babel_locale(locale).language)
        print(
            f"note: the default theme has no words in {name}: headings, buttons and labels will show in English"
            f" (dates, numbers and money follow {locale}); to add {name}, see docs/themes.md, Adding a language to a theme"
        )
    typed = shell_word(folder)
    print(f"next: propgen build --site {typed}   (or: cd {typed} && propgen serve)")
    return 0


def locale_option(written: str | None) -> str:
    """`--locale` of init and new as Babel writes it (`en-us` is en_US), "" when not given; a
    usage mistake naming the code to write when Babel does not know it."""
    if not written:
        return ""
    try:
        parsed = babel.Locale.parse(written.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        parsed = None
    if parsed is None or not someones_language(parsed):
        message, hint = unknown_locale(written)
        raise UsageError(f"--locale {message}", hint)
    return str(parsed)


def shell_word(path: Path) -> str:
    """A folder as a shell command takes it, for commands printed to be copied: quoted where a
    shell would split it (a space, a quote), and never starting with '-', which propgen and
    cd would read as an option."""
    text = str(path)
    return shlex.quote(f"./{text}" if text.startswith("-") else text)


def cmd_new(args: argparse.Namespace) -> int:
    root = site_root(args)
    title = " ".join(args.title).strip()
    if not title:
        raise UsageError("the title is empty", 'give a title, e.g. propgen new event "Annual Gala 2026"')
    now = now_from_env().date()
    locale = args.locale or ""
    if locale and args.kind != "proposal":
        raise UsageError(f"--locale is for proposals, not for a new {args.kind}", "a site's language is locale: in propgen.yaml")
    locale = locale_option(locale)
    report = Report()
    try:
        created = scaffold.new_content(root, args.kind, title, now, report, locale)
    except FileExistsError as exc:
        print(
            f"{display_path(Path(str(exc)))}:1:1: error: this file already exists (hint: choose another title, or edit that file)",
            file=sys.stderr,
        )
        return 1
    if report.errors:
        print_problems(report)
        return 1
    for path in created:
        print(f"created {display_path(path)}")
    return 0


def cmd_proposals(args: argparse.Namespace) -> int:
    options = replace(build_options(args, write=False), draft_proposals=True)  # drafts are listed as such
    report = Report()
    loaded = load(options, report, need_passwords=False)
    print_problems(report)
    if loaded is None:
        count = len(report.errors)
        print(f"cannot list proposals: {plural(count, 'problem')}", file=sys.stderr)
        return 1
    site = loaded.site
    if not site.proposals and not site.sponsorships:
        print("no proposals yet: add one with  propgen new proposal CLIENT")
        return 0
    if args.version_of is not None:
        print(proposal_version_of(site.proposals, args.version_of))
        return 0
    urls = Urls(site.config.base_url)
    today = options.now.date()
    for proposal in site.proposals:
        link = urls.absolute(proposal_path(site, proposal, loaded.secret))
        if proposal.valid_until is None:
            validity = "no expiry"
        elif proposal.expired(today):
            validity = f"{proposal.valid_until}  EXPIRED"
        else:
            validity = f"{proposal.valid_until}  valid"
        protected = f"yes, password in ${proposal.password_env}" if proposal.protected else "no"
        print(f"{proposal.client.name}  ({proposal.source})")
        print(f"  title:       {proposal.title}")
        print(f"  link:        {link}")
        print(f"  valid until: {validity}")
        print(f"  protected:   {protected}")
        print(f"  version:     {proposal.version}")
        if proposal.superseded_by:
            print(f"  superseded:  yes, by {proposal.superseded_by}: its link says so and shows no prices")
        if proposal.draft:
            print("  draft:       yes, not published: built only with --drafts and by propgen serve")
    list_sponsorships(loaded.site, loaded.secret, urls, today)
    return 0


def list_sponsorships(site: Site, secret: str, urls: Urls, today: dt.date) -> None:
    """Each sponsorship's team overview link, then each prospect's link with its state."""
    for sponsorship in site.sponsorships:
        print(f"sponsorship: {sponsorship.title}  ({sponsorship.source})")
        print(f"  team overview: {urls.absolute(overview_path(site, sponsorship, secret))}")
        for prospect in sponsorship.prospects:
            prospectus = Prospectus(sponsorship, prospect)
            if prospect.valid_until is None:
                validity = "no expiry"
            else:
                validity = f"{prospect.valid_until}  {'EXPIRED' if prospectus.expired(today) else 'valid'}"
            print(f"  {prospect.name}  (prospect {prospect.slug})")
            print(f"    link:        {urls.absolute(prospect_path(site, prospectus, secret))}")
            tier = next((t for t in sponsorship.tiers if t.name == prospect.suggested), None)
            print(f"    suggested:   {prospect.suggested or 'no tier'}{'  SOLD OUT' if tier and tier.left == 0 else ''}")
            print(f"    valid until: {validity}")
            print(f"    protected:   {f'yes, password in ${prospect.password_env}' if prospectus.protected else 'no'}")
            if prospectus.draft:
                print("    draft:       yes, not published: built only with --drafts and by propgen serve")


def proposal_version_of(proposals: Sequence[Proposal], slug: str) -> str:
    """`propgen proposals --version SLUG`: the version an acceptance of that proposal names."""
    for proposal in proposals:
        if proposal.slug == slug:
            return proposal.version
    close = difflib.get_close_matches(slug, [p.slug for p in proposals], n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else "use the file name of a proposal in content/proposals/, without .yaml"
    raise UsageError(f"there is no proposal '{shorten(slug)}'", hint)


def cmd_serve(args: argparse.Namespace) -> int:
    root = site_root(args)
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is not a port number", "use a number from 1024 to 65535, e.g. --port 8001")

    def log(line: str) -> None:
        print(line, flush=True)

    # Imported here: the preview server and its web framework are a tenth of every other
    # command's start-up, and only `serve` runs them.
    from .serve import serve

    try:
        return serve(root, args.host, args.port, args.drafts, dict(os.environ), args.open, log)
    except OSError as exc:
        if exc.errno == errno.EADDRNOTAVAIL:
            raise UsageError(
                f"cannot listen on {args.host}: {exc.strerror}", "use an address of this computer, e.g. --host 127.0.0.1"
            ) from None
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise UsageError(
                f"cannot listen on {args.host}:{args.port}: {exc.strerror}",
                f"another program is using it; choose another port, e.g. --port {args.port + 1}",
            ) from None
        raise
