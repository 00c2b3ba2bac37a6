"""Route -> bytes. Template mistakes become problems at the template's own file:line,
with the page that was being rendered, and are reported once however many pages hit them."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2

from .context import ContextBuilder
from .errors import Location, Report
from .routes import Route
from .sources import display_path

Progress = Callable[[int, int], None]


def render_routes(
    env: jinja2.Environment,
    routes: Sequence[Route],
    contexts: ContextBuilder,
    report: Report,
    progress: Progress | None = None,
) -> dict[str, bytes]:
    rendered: dict[str, bytes] = {}
    seen: set[tuple[Location, str]] = set()
    for done, route in enumerate(routes, start=1):
        try:
            template = env.get_template(route.template)
            text = template.render(contexts.for_route(route))
        except jinja2.TemplateSyntaxError as exc:
            _once(
                report,
                seen,
                Location(display_path(Path(exc.filename or route.template)), exc.lineno or 1),
                f"template error: {exc.message}",
                "fix the template's syntax",
            )
            continue
        except jinja2.TemplateNotFound as exc:
            _once(
                report, seen, Location("propgen.yaml"), f"the theme has no template '{exc.name}'", "add it to the theme's templates/ folder"
            )
            continue
        except Exception as exc:  # a template that fails at run time: report where, never crash
            _once(
                report,
                seen,
                _template_location(exc, route),
                f"template error while rendering /{route.path}: {exc}",
                "check the names this line uses against docs/themes.md",
            )
            continue
        rendered[route.output] = text.encode("utf-8")
        if progress:
            progress(done, len(routes))
    return rendered


def _once(report: Report, seen: set[tuple[Location, str]], location: Location, message: str, hint: str) -> None:
    key = (location, message.split(" while rendering ")[0])
    if key not in seen:
        seen.add(key)
        report.error(location, message, hint)


def _template_location(exc: BaseException, route: Route) -> Location:
    """The innermost template frame of the error (Jinja maps frames back to template lines)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return Location(display_path(Path(frame.filename)), frame.lineno or 1)
    return Location(route.template)
