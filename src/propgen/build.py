"""The pipeline, stage by stage: load -> validate -> plan routes -> render -> write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .config import load_config
from .context import ContextBuilder
from .errors import Location, Report
from .models import Site
from .render import Progress, render_routes
from .routes import Route, plan_routes
from .sources import SiteFiles, display_path, read_content, scan
from .theme import Theme, load_theme, make_environment
from .validate import build_site
from .write import OutputFile, Outputs, write_site


@dataclass(frozen=True)
class BuildOptions:
    site: Path
    out: Path
    now: dt.datetime
    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    write: bool = True  # False for `propgen check`: everything but the writing
    environ: Mapping[str, str] = field(default_factory=dict)  # where secrets and passwords come from
    secret: str = ""  # a throwaway secret from `propgen serve`, used when the env has none
    fallback_password: str = ""  # `propgen serve` only: for protected proposals whose variable is unset


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


def load(options: BuildOptions, report: Report, need_passwords: bool = True) -> Loaded | None:
    """Read and validate everything; None when there were errors (they are in `report`)."""
    config = load_config(options.site, report, options.base_url)
    files = scan(options.site, report)
    if config is None:
        return None
    site = build_site(config, files, read_content(files, report), report, include_drafts=options.drafts)
    theme = load_theme(options.site, config, report)
    if theme is None or report.errors:
        return None
    secret, passwords = proposal_secrets(site, options, report, need_passwords)
    if report.errors:
        return None
    return Loaded(site, files, theme, secret, passwords)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    result = BuildResult()
    report = result.report
    root = options.site
    if progress:
        progress("checking content", 0, 0)
    loaded = load(options, report)
    if loaded is None:
        return result
    site, files, theme, secret = loaded.site, loaded.files, loaded.theme, loaded.secret
    config = site.config

    routes = plan_routes(site, secret, options.now.date(), loaded.passwords)
    assets = theme.assets()
    contexts = ContextBuilder(site, routes, options.now, has_custom_css="assets/custom.css" in assets)
    env = make_environment(theme, config)
    rendered = render_routes(env, routes, contexts, report, progress, secret)

    outputs = Outputs(report)
    for route in routes:
        if route.output in rendered:
            outputs.add(OutputFile(route.output, route.source or f"propgen's {route.kind.replace('_', ' ')} page", rendered[route.output]))
    for path, source in assets.items():
        outputs.add(OutputFile(path, display_path(source), source=source))
    for relative in files.static:
        source = root / "static" / relative
        outputs.add(OutputFile(relative.as_posix(), display_path(source), source=source))

    result.outputs = outputs.files
    result.pages = sum(1 for r in routes if r.output.endswith(".html") and not r.private)
    result.proposals = len(site.proposals)
    result.site = site
    result.routes = routes
    if report.failed(options.strict) or not options.write:
        return result
    if progress:
        progress("writing", 0, 0)
    result.changed, result.unchanged = write_site(outputs, options.out)
    result.written = True
    return result


def proposal_secrets(site: Site, options: BuildOptions, report: Report, need_passwords: bool = True) -> tuple[str, dict[str, str]]:
    """The link secret and each protected proposal's password, from the environment.
    Missing ones are errors naming the variable; nothing is looked up without proposals."""
    if not site.proposals:
        return "", {}
    env_name = site.config.proposals.secret_env
    secret = options.environ.get(env_name, "") or options.secret
    if not secret:
        report.error(
            Location(site.proposals[0].source),
            f"proposals need a secret to make their private links, but the environment variable {env_name} is not set",
            f"set it to a long random value and keep it for every build, e.g.  export {env_name}=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')\"",
        )
    passwords: dict[str, str] = {}
    for proposal in site.proposals:
        if not proposal.password_env:
            continue
        password = options.environ.get(proposal.password_env, "") or options.fallback_password
        if not password and need_passwords:
            report.error(
                proposal.password_at or Location(proposal.source),
                f"this proposal is protected by the password in the environment variable {proposal.password_env}, which is not set",
                f"set it before building, e.g.  export {proposal.password_env}='the password you give the client'",
            )
        passwords[proposal.slug] = password
    return secret, passwords
