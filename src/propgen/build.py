"""The pipeline, stage by stage: load -> validate -> plan routes -> render -> write."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import (
    BuildCache,
    CacheData,
    PagePlan,
    PagePrints,
    TemplateDigests,
    changes_since,
    code_key,
    config_key,
    decoded_records,
    file_digest,
    page_records,
    plan_pages,
    site_shape,
)
from .compiled import SignedCode, user_key
from .config import load_config
from .context import ContextBuilder
from .errors import Location, Report, is_text, working_folder
from .guards import report_expired, report_expired_prospects
from .i18n import babel_locale, language_name, speaks, spoken
from .images.store import process_images
from .kept import KeptEvents
from .languages import localized_sites
from .markdown import Rendered, Renderer, render_markdown, rendered_from_json, rendered_to_json
from .models import Proposal, Prospectus, Site
from .parallel import coming, in_one_process
from .pdf import documents, print_documents
from .publish import WriteError
from .render import Progress, render_routes
from .routes import Route, language_routes, place_static, plan_routes
from .search import INDEXED_KINDS, Indexed, find_pagefind, kept_copy, report_bundle_clashes, search_index
from .sources import Content, FileStatus, SiteFiles, display_path, read_content, scan
from .spool import open_spool, remove_stale
from .stamps import EventsListing, Replay, Since, Walked, files_digests, forget_stamp, inputs_digest, output_digest, read_stamp, write_stamp
from .theme import Theme, load_theme, make_environment, theme_options
from .theme_settings import Options
from .urls import Urls
from .validate import build_site
from .walk import list_files, real, refusal
from .write import Held, OutputFile, Outputs, settle, unsettled, write_site

if TYPE_CHECKING:  # imported where links are checked: with its HTML parser, 30 ms of a build's imports
    from .linkcheck import LinkScan


@dataclass(frozen=True)
class BuildOptions:
    site: Path
    out: Path
    now: dt.datetime
    drafts: bool = False
    draft_proposals: bool = False  # draft proposals even without --drafts: `propgen serve` and `propgen proposals`
    strict: bool = False
    base_url: str | None = None
    write: bool = True  # False for `propgen check`: everything but the writing
    check_links: bool = False  # check every internal link of the output (always with strict)
    search: bool = True  # index the public pages with Pagefind when it is installed
    # `propgen serve` only: the search page and box, but no index; the preview has Pagefind make
    # it when the browser asks (search_later.IndexWhenAsked), not at every save.
    search_later: bool = False
    jobs: int = 1  # processes for Markdown and pages; output is identical for any number
    cache: BuildCache | None = None  # what the last build made; None builds everything
    # Where processed photos are kept when `cache` has no folder: `propgen serve` keeps its pages
    # in memory but shares the site's photos (kept by content hash, so any build may use them).
    photo_cache: Path | None = None
    environ: Mapping[str, str] = field(default_factory=dict)  # where secrets and passwords come from
    secret: str = ""  # a throwaway secret from `propgen serve`, used when the env has none
    fallback_password: str = ""  # `propgen serve` only: for protected proposals whose variable is unset
    pdf: str = ""  # `build --pdf`: the paper ("a4" or "letter") of a PDF beside each proposal (pdf.py)
    held: Held | None = None  # `propgen serve` only: what its own output folder holds since its last build (write.py)
    since: Since | None = None  # `propgen serve` only: the files its watcher saw move since its last build's walk (stamps.py)


@dataclass
class BuildResult:
    report: Report = field(default_factory=Report)
    pages: int = 0
    proposals: int = 0
    changed: int = 0
    unchanged: int = 0
    written: bool = False
    outputs: dict[str, OutputFile] = field(default_factory=dict)
    site: Site | None = None
    routes: list[Route] = field(default_factory=list)
    links: LinkScan | None = None  # what the link check saw, when it ran
    rendered: int = 0  # pages rendered this time (the others were kept from the last build)
    write_error: WriteError | None = None  # the output could not be written (or a killed build's leftovers settled)
    skipped: bool = False  # nothing the build reads had changed: the last build's output stands (stamps.py)
    held: Held | None = None  # what the output holds, when this build wrote it
    searchable: list[str] = field(default_factory=list)  # with `search_later`: the pages an index would hold
    listing: EventsListing | None = None  # content/events/ as this build's walk found it, for `propgen serve`'s next

    def summary(self) -> str:
        """'38 pages, 4 proposals, 0 warnings': the counts every build reports."""
        return f"{plural(self.pages, 'page')}, {plural(self.proposals, 'proposal')}, {plural(len(self.report.warnings), 'warning')}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Loaded:
    """A validated site with what rendering needs from outside it."""

    site: Site
    files: SiteFiles
    theme: Theme
    secret: str
    passwords: dict[str, str]
    markdown: Renderer
    options: Options  # the theme's options as this site sets them


def load(
    options: BuildOptions,
    report: Report,
    need_passwords: bool = True,
    known: Mapping[str, Rendered] | None = None,
    kept: KeptEvents | None = None,
    looked: Mapping[str, FileStatus] | None = None,
) -> Loaded | None:
    """Read and validate everything; None when there were errors (they are in `report`).
    `known` is Markdown the build cache kept, used instead of rendering again; `kept` the
    events it kept, used instead of reading their unchanged files again (kept.py), known by
    the files' status in `looked` (stamps.py's walk) or looked up."""
    config = load_config(options.site, report, options.base_url)
    files = scan(options.site, report)
    if config is None:
        return None
    if kept is not None:
        kept.check_static(files.static)
    content = read_content(files, report, kept, looked)
    markdown = Renderer(Urls(config.base_url), known)
    with prerender(content, markdown, options.jobs):  # the workers render while this process validates
        theme = load_theme(options.site, config, report) if files.themes_safe else None  # never read a refused theme file
        chosen = theme_options(theme, config, report) if theme else Options()
        pictures = [(path, where) for _name, path, where in chosen.images]  # a logo is a picture like any other
        site = build_site(config, files, content, report, options.drafts, options.draft_proposals, markdown, pictures, kept)
    report_expired(site.proposals, options.now.date(), report)
    report_expired_prospects(site.prospectuses, options.now.date(), report)
    # Looked up even when the content has errors: a missing secret is one more thing to fix,
    # and it belongs in the same list, not in a second build after the content is right.
    secret, passwords = proposal_secrets(site, options, report, need_passwords)
    if theme is not None and not report.errors:  # after a wrong locale or languages: its own error is the one to fix
        report_unspoken_languages(site, theme, report)
    if theme is None or report.errors:
        return None
    return Loaded(site, files, theme, secret, passwords, markdown, chosen)


def report_unspoken_languages(site: Site, theme: Theme, report: Report) -> None:
    """A language the theme has no catalog of shows its pages' own words (headings, buttons,
    the password page) in English beside dates and money in that language: a warning where
    the language is asked for (propgen.yaml, a proposal, a sponsorship or a prospect)."""
    folders = theme.subfolders("locales")
    config = site.config
    asked: list[tuple[str, Location | None]] = [(language.locale, config.locale_at) for language in config.languages]
    asked = asked or [(config.locale, config.locale_at)]
    asked += [(p.locale, p.locale_at) for p in site.proposals]
    for sponsorship in site.sponsorships:
        asked += [(sponsorship.locale, sponsorship.locale_at), *((p.locale, p.locale_at) for p in sponsorship.prospects)]
    for locale, where in dict.fromkeys(asked):
        if locale and where is not None and not speaks(folders, locale):
            name = language_name(babel_locale(locale).language)
            report.warning(
                where,
                f"the theme '{theme.name}' has no words in {name} ('{locale}'): headings, buttons and labels will show in English",
                f"add {name} to the theme (docs/themes.md, Adding a language to a theme), or use a language it has: {', '.join(spoken(folders))}",
            )


def remembered_markdown(known: CacheData | None) -> dict[str, Rendered]:
    """The cache's rendered Markdown; an entry that does not read back is simply rendered again."""
    found: dict[str, Rendered] = {}
    for key, value in (known.markdown if known else {}).items():
        try:
            found[key] = rendered_from_json(value)
        except (KeyError, TypeError, ValueError):
            continue
    return found


def prerender(content: Content, markdown: Renderer, jobs: int) -> contextlib.AbstractContextManager[None]:
    """Every Markdown body of the site not yet known, rendered by all cores (rendering is the
    costliest step of reading). In one process they are rendered now; with workers, they are
    rendered while this process validates the records inside the `with`, in the order it asks
    for them (events, proposals, sponsorships, pages), and each is waited for when asked for:
    validation used to wait for all of them, the workers for validation (2.5 s of a cold
    build at 10,000 events on two cores)."""
    bodies = [pair.body() for pair in (*content.events, *content.proposals, *content.sponsorships)]
    bodies += [(d.body, d.body_line) for d in content.pages]
    pending = {markdown.key(*b): b for b in bodies if b is not None and b[0].strip()}
    pending = {key: b for key, b in pending.items() if key not in markdown.known}
    keys = list(pending)

    def render(index: int) -> Rendered:
        text, first_line = pending[keys[index]]
        return render_markdown(text, markdown.urls, first_line)

    if in_one_process(len(keys), jobs):
        markdown.known.update((key, render(index)) for index, key in enumerate(keys))
        return contextlib.nullcontext()
    return _rendered_meanwhile(markdown, keys, render, jobs)


@contextlib.contextmanager
def _rendered_meanwhile(markdown: Renderer, keys: list[str], render: Callable[[int], Rendered], jobs: int) -> Iterator[None]:
    with coming(render, len(keys), jobs) as results:
        markdown.expect(zip(keys, results, strict=True), keys)
        try:
            yield
            markdown.arrived()
        finally:
            markdown.expect(iter(()), ())  # nothing more comes once the workers stop


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    with contextlib.ExitStack() as cleanup:  # the spool of rendered pages goes however the build ends
        # The cycle collector is off while building: nearly everything a build makes lives until
        # it ends, and walking it again and again was a fifth of a rebuild at 10,000 events,
        # freeing nothing (the peak memory is the same without it). Forked workers inherit this.
        if gc.isenabled():
            gc.disable()
            cleanup.callback(gc.enable)
        return _build(options, progress, cleanup)


def _build(options: BuildOptions, progress: Progress | None, cleanup: contextlib.ExitStack) -> BuildResult:
    result = BuildResult()
    report = result.report
    root = options.site
    if progress:
        progress("checking content", 0, 0)
    key = cache_key(options)
    stamped = options.cache.folder if options.cache and options.write else None
    # Before anything is read: a file saved meanwhile is seen next time. `outside`: the same
    # without the events' files, for the cache's `Shape` (`propgen serve`'s cache in memory too).
    # The watcher's word on which files moved stands in for looking at them only where no stamp
    # is kept: the stamp must see every file for itself.
    since = options.since if not stamped else None
    walked = files_digests(root, since) if options.cache and options.write else Walked("", "", {})
    result.listing = walked.listing
    read, outside = walked.every if stamped else "", walked.besides
    if stamped and (replay := replayed(options, stamped, key, read)) is not None:
        return replay
    known = options.cache.read(key) if options.cache else CacheData()
    kept = options.cache.read_events(key) if options.cache else None
    if options.cache and options.cache.problem:
        report.warning(
            Location(display_path(options.cache.folder or root)), options.cache.problem, "nothing to do: the next build is fast again"
        )
    first_problem = len(report.problems)  # what the next build replays if nothing changes: the content's warnings, not the cache's
    remembered = remembered_markdown(known)
    loaded = load(options, report, known=remembered, kept=kept, looked=walked.content)
    if loaded is None:
        return result
    site, files, theme, secret = loaded.site, loaded.files, loaded.theme, loaded.secret
    config = site.config

    # Search only when Pagefind is installed and there is something to find.
    pagefind = find_pagefind() if options.search and (site.events or site.pages) else None
    translations = localized_sites(site)  # the site in each language after the first; none in one language
    with_search = pagefind is not None  # a search page in each language
    routes = plan_routes(site, secret, options.now.date(), loaded.passwords, search=with_search)
    routes += language_routes(translations, search=with_search)
    routes, static_copies = place_static(
        site, routes, lambda: [display_path(p) for p in (*files.events, *files.proposals, *files.sponsorships)]
    )
    if pagefind is not None:
        report_bundle_clashes(((c.output, display_path(root / "static" / c.source)) for c in static_copies), report)
    folder = options.cache.folder if options.cache and options.cache.folder else options.photo_cache
    images = process_images(site, static_copies, root / "static", folder, options.jobs, report, dict(site.static_used_at))
    site, routes = images.apply(site, routes)  # Markdown's <img> become <picture>s of the renditions
    translations = [(language, images.apply(other, [])[0]) for language, other in translations]
    assets = theme.assets()
    pdfs = documents(routes, report) if options.pdf else []  # which pages get a PDF, so that they link to it
    contexts = ContextBuilder(
        site,
        routes,
        options.now,
        has_custom_css="assets/custom.css" in assets,
        images=images.views(),
        documents={d.route.path: d.path for d in pdfs},
        translations=translations,
        options=loaded.options,
        search=pagefind is not None,
    )
    kept_in = options.cache.folder if options.cache and options.write else None  # `propgen check` writes nothing
    signing = user_key() if kept_in else None  # compiled templates kept for the next build, signed (compiled.py)
    store = SignedCode(kept_in, signing, key) if kept_in and signing else None
    env = make_environment(theme, config, store=store, settings=key)
    templates = TemplateDigests(env, known.templates)
    prints = PagePrints(templates, routes) if options.cache else None
    if prints and options.write:
        try:
            settle(options.out)  # a killed build's patch in place before pages are kept by their files
        except WriteError as exc:
            result.write_error = exc
            return result
    shape = site_shape(outside, key, routes, site, static_copies, kept, contexts.site_views()) if outside and kept is not None else None
    changes = (
        changes_since(known.shape, shape, kept.read_again, kept.reworded(), options.cache.events_checksum, known.names)
        if shape and kept and options.cache
        else None
    )
    plan = (
        plan_pages(routes, contexts, prints, known, options.out.resolve(), options.jobs, changes)
        if prints
        else PagePlan(list(routes), [], {})
    )
    # Pages wait on disk, not in memory; a first build's at their paths, as its new site (spool.py).
    first = not os.path.lexists(options.out)
    spool = open_spool(options.out.resolve(), in_place=first) if options.write else None
    if spool:
        cleanup.callback(spool.close)
    pages = render_routes(env, plan.render, contexts, report, progress, secret, options.jobs, prints, spool)
    rendered = pages.files
    result.rendered = len(rendered)

    outputs = Outputs(report)
    for route in routes:
        origin = route.source or f"propgen's {route.kind.replace('_', ' ')} page"
        page = rendered.get(route.output)
        if isinstance(page, bytes):
            outputs.add(OutputFile(route.output, origin, page))
        elif page is not None:
            outputs.add(OutputFile(route.output, origin, source=page, spooled=True))
    out = options.out.resolve()
    for route in plan.keep:
        outputs.add(OutputFile(route.output, route.source or route.kind, source=os.path.join(out, route.output), keep=True))
    for path, source in assets.items():
        outputs.add(OutputFile(path, display_path(source), source=source))
    for copy in static_copies:  # a file used only by proposals goes into their private folders
        source = root / "static" / copy.source
        for path, made in images.files(copy, source):  # a photo as its renditions, other files as they are
            outputs.add(OutputFile(path, display_path(source), source=made))
    for path, made in images.extra():
        outputs.add(OutputFile(path, "propgen's link preview images", source=made))
    # The index is made to be published, or for the link check to find; `propgen check` alone needs neither.
    search: Indexed | None = None
    bundle: dict[str, Path] = {}
    if pagefind is not None:
        public = [outputs.files[r.output] for r in routes if r.kind in INDEXED_KINDS and not r.private and r.output in outputs.files]
        if options.search_later:
            result.searchable = [f.path for f in public]
        elif not report.errors and (options.write or options.check_links or options.strict):
            last = Indexed.from_json(known.search)
            settings = Location(display_path(root / "propgen.yaml"))
            # Pagefind's copy of the pages kept in the cache folder for the next build (`propgen check` keeps nothing).
            pages_copy = cleanup.enter_context(kept_copy(options.cache.folder if options.cache and options.write else None))
            bundle, search = search_index(pagefind, [(f.path, f.keep, f.read) for f in public], last, out, report, settings, pages_copy)
            for path, made in bundle.items():  # the last build's files, as the output holds them, when its index is kept
                outputs.add(OutputFile(path, "propgen's search index (Pagefind)", source=made, keep=search is last))

    if pdfs and not report.failed(options.strict):  # printed from the files about to be written
        for path, origin, data in print_documents(pdfs, outputs.files, config.base_url, options.pdf, options.now, options.environ, report):
            outputs.add(OutputFile(path, origin, data))
    result.outputs = outputs.files
    result.pages = sum(1 for r in routes if r.output.endswith(".html") and not r.private)
    result.proposals = len(site.proposals)
    result.site = site
    result.routes = routes
    if (options.check_links or options.strict) and not report.errors:  # a page that failed to render is no broken link
        from .linkcheck import built_files, check_links

        result.links = check_links(
            built_files(outputs.files, routes, root / "propgen.yaml", theme.subfolders("templates")), config.base_url, report
        )
    if report.failed(options.strict) or not options.write:
        return result
    if progress:
        progress("writing", 0, 0)
    try:
        written = write_site(outputs, options.out, options.held, spool)
    except WriteError as exc:  # the disk, a lock or the output folder said no: one message, nothing half-done
        result.write_error = exc
        return result
    result.written, result.held = True, written.held
    result.changed, result.unchanged = written.changed, written.unchanged
    warnings = [(p.location, p.message, p.hint, p.strict) for p in report.problems[first_problem:] if p in report.warnings]
    clock = pages.clock or any(stored.reads_now for stored in plan.records.values())  # a page shows the time
    if options.cache:
        # A kept page's file is the one its record describes (plan_pages compared them): its record
        # is written back as it was read, and only the pages rendered now have their files looked up.
        records = page_records(
            {p: r for p, r in pages.records.items() if p in outputs.files}, options.out.resolve(), known.keysets, known.names
        )
        records |= {path: known.pages[path] for path in plan.records if path in outputs.files}  # as read
        # What the cache gave is written back as it was read (its HTML strings are the renderer's own).
        markdown = {
            k: known.markdown[k] if k in remembered else rendered_to_json(loaded.markdown.known[k]) for k in sorted(loaded.markdown.used)
        }
        try:
            if kept is not None:  # first: build.json names the kept events' file its pages were made with
                options.cache.write_events(key, kept)
            made_with = shape.to_json(options.cache.events_checksum) if shape else {}
            indexed = search.written(out, bundle).to_json() if search else {}
            decoded = {path: (records[path], stored) for path, stored in plan.records.items() if path in records}
            if options.cache.folder is None:  # the preview's, in memory: its next save finds these decoded too
                decoded |= decoded_records(records, pages.records.keys() - decoded.keys(), known.keysets, known.names)
            left = CacheData(records, markdown, templates.learned, known.keysets, known.names, made_with, indexed, decoded)
            options.cache.write(key, left)
        except OSError as exc:  # the site was published; only the next build's speed is at stake
            report.warning(
                Location(display_path(options.cache.folder or root)),
                f"could not save the build cache: {exc.strerror}",
                "check that folder's permissions",
            )
    if stamped:
        done = Replay(result.pages, result.proposals, len(outputs.files), warnings)
        stamp_build(options, stamped, key, read, clock, site, done, written.output)
    return result


def stamp_settings(options: BuildOptions, key: str, clock: bool) -> dict[str, object]:
    """Besides the files: what makes two builds of the same files differ. Messages show paths
    relative to the working folder, so it is one of them."""
    now = options.now.isoformat() if clock else options.now.date().isoformat()
    return {"key": key, "now": now, "cwd": working_folder(), "pdf": options.pdf}


def replayed(options: BuildOptions, folder: Path, key: str, files: str) -> BuildResult | None:
    """The last build's result when nothing it read has changed and its output is as it
    left it, with nothing a killed build left beside it; None means build. A build that checks links (`--strict`, `--links`) always builds,
    and so does one that prints PDFs (the browser that prints them is an input no stamp sees)."""
    if options.strict or options.check_links or options.pdf or unsettled(options.out):
        return None
    stamp = read_stamp(folder)
    if stamp is None:
        return None
    inputs = inputs_digest(files, stamp_settings(options, key, stamp.clock), options.environ, stamp.secret_names)
    if inputs != stamp.inputs or output_digest(options.out) != stamp.output:
        return None
    remove_stale(options.out.resolve())  # a killed build's pages, beside the output: nothing the output needs
    result = BuildResult(
        pages=stamp.replay.pages, proposals=stamp.replay.proposals, unchanged=stamp.replay.files, written=True, skipped=True
    )
    stamp.replay.report_into(result.report)
    return result


def stamp_build(
    options: BuildOptions, folder: Path, key: str, files: str, clock: bool, site: Site, replay: Replay, output: str = ""
) -> None:
    """Record a written build for `replayed`; when the record cannot be written, no stale one stays.
    `output`: the output's digest as writing left it, when known (write.py)."""
    private: list[Proposal | Prospectus] = [*site.proposals, *site.prospectuses]
    names = [site.config.proposals.secret_env, *(p.password_env for p in private if p.password_env)]
    inputs = inputs_digest(files, stamp_settings(options, key, clock), options.environ, names)
    try:
        write_stamp(folder, inputs, options.out, clock, names, replay, output)
    except OSError:
        with contextlib.suppress(OSError):  # the cache folder refuses everything: the warning above already says so
            forget_stamp(folder)


def cache_key(options: BuildOptions) -> str:
    """What every page depends on besides its context and templates: propgen's code and
    dependencies, propgen.yaml, the theme's settings and catalogs, and the build options."""
    themes = options.site / "themes"
    # The theme's files as the build reads them (walk.py: links followed inside the site, so a
    # linked locales/ counts); its problems are the scan's to report.
    theme_files = list_files(themes, "themes", Report(), real(options.site))
    config = options.site / "propgen.yaml"  # the build refuses it when it is a link out of the site: never read here
    settings = {
        "config": file_digest([config] if refusal(config, real(options.site)) is None else [], options.site),
        "theme": file_digest([themes / p for p in theme_files if not {"templates", "static"} & set(p.parts)], options.site)
        if themes.is_dir()
        else "",
        "out": str(options.out.resolve()),
        "base_url": options.base_url,
        "drafts": [options.drafts, options.draft_proposals],
        "search": options.search and find_pagefind() is not None,
    }
    folder = options.cache.folder if options.cache else None  # `propgen check` reads the key kept there, keeps none
    return config_key(code_key(folder, keep=options.write), settings)


MIN_SECRET_LENGTH = 32  # a shorter link secret can be guessed, and with it every proposal's link
MIN_PASSWORD_LENGTH = 10  # the encrypted page is public: a short password falls to offline guessing


def proposal_secrets(site: Site, options: BuildOptions, report: Report, need_passwords: bool = True) -> tuple[str, dict[str, str]]:
    """The link secret and each protected proposal's password, from the environment.
    Missing ones are errors naming the variable, short ones warnings naming it (never its
    value, nor its length); nothing is looked up without proposals."""
    private: list[Proposal | Prospectus] = [*site.proposals, *site.prospectuses]  # every page at a secret link, and the team overviews
    if not private and not site.sponsorships:
        return "", {}
    first = site.proposals[0].source if site.proposals else site.sponsorships[0].source
    env_name = site.config.proposals.secret_env
    given_secret = options.environ.get(env_name, "")
    make_one = f"export {env_name}=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')\""
    if given_secret and not is_text(given_secret):
        report.error(
            Location(first),
            f"the link secret in {env_name} holds bytes that are not UTF-8 text",
            f"set it again to a long random value, e.g.  {make_one};  every proposal link changes with it, so send the new links",
        )
        return "", {}
    secret = given_secret or options.secret  # serve's throwaway secret is strong
    if not secret:
        report.error(
            Location(first),
            f"{'proposals' if site.proposals else 'sponsorship prospectuses'} need a secret to make their private links, but the environment variable {env_name} is not set",
            f"set it to a long random value and keep it for every build, e.g.  {make_one}",
        )
    elif given_secret and len(given_secret) < MIN_SECRET_LENGTH:
        report.warning(
            Location(first),
            f"the link secret in {env_name} is shorter than {MIN_SECRET_LENGTH} characters, so proposal links could be guessed",
            f"set it to a long random value, e.g.  {make_one};  every proposal link changes with it, so send the new links",
        )
    passwords: dict[str, str] = {}
    for proposal in private:
        if not proposal.password_env:
            continue
        given = options.environ.get(proposal.password_env, "")
        page, reader = ("prospect's page", "sponsor") if isinstance(proposal, Prospectus) else ("proposal", "client")
        if given and not is_text(given):
            report.error(
                proposal.password_at or Location(proposal.source),
                f"the password in {proposal.password_env} holds bytes that are not UTF-8 text, which no browser can type",
                f"set it again as plain text, e.g.  export {proposal.password_env}='the password you give the {reader}'",
            )
            continue
        password = given or options.fallback_password
        if given and len(given) < MIN_PASSWORD_LENGTH:
            report.warning(
                proposal.password_at or Location(proposal.source),
                f"the password in {proposal.password_env} is shorter than {MIN_PASSWORD_LENGTH} characters,"
                " and anyone with the link can try guesses against the page offline",
                f"use {MIN_PASSWORD_LENGTH} or more characters, e.g. three or four random words",
            )
        if not password and need_passwords:
            report.error(
                proposal.password_at or Location(proposal.source),
                f"this {page} is protected by the password in the environment variable {proposal.password_env}, which is not set",
                f"set it before building, e.g.  export {proposal.password_env}='the password you give the {reader}'",
            )
        passwords[proposal.key if isinstance(proposal, Prospectus) else proposal.slug] = password
    return secret, passwords
