"""The pipeline, stage by stage: load -> validate -> plan routes -> render -> write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .config import load_config
from .context import ContextBuilder
from .errors import Report
from .render import Progress, render_routes
from .routes import plan_routes
from .sources import display_path, scan
from .theme import load_theme, make_environment
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


@dataclass
class BuildResult:
    report: Report = field(default_factory=Report)
    pages: int = 0
    proposals: int = 0
    changed: int = 0
    unchanged: int = 0
    written: bool = False
    outputs: dict[str, OutputFile] = field(default_factory=dict)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    result = BuildResult()
    report = result.report
    root = options.site

    config = load_config(root, report, options.base_url)
    files = scan(root, report)
    if config is None:
        return result
    site = build_site(config, files, report, include_drafts=options.drafts)
    theme = load_theme(root, config, report)
    if theme is None or report.errors:
        return result

    routes = plan_routes(site)
    contexts = ContextBuilder(site, routes, options.now)
    env = make_environment(theme, config)
    rendered = render_routes(env, routes, contexts, report, progress)

    outputs = Outputs(report)
    for route in routes:
        if route.output in rendered:
            outputs.add(OutputFile(route.output, route.source or f"propgen's {route.kind.replace('_', ' ')} page", rendered[route.output]))
    for path, source in theme.assets().items():
        outputs.add(OutputFile(path, display_path(source), source=source))
    for relative in files.static:
        source = root / "static" / relative
        outputs.add(OutputFile(relative.as_posix(), display_path(source), source=source))

    result.outputs = outputs.files
    result.pages = sum(1 for r in routes if r.output.endswith(".html") and not r.private)
    result.proposals = sum(1 for r in routes if r.private)
    if report.failed(options.strict) or not options.write:
        return result
    result.changed, result.unchanged = write_site(outputs, options.out)
    result.written = True
    return result
