"""Links to other sites, checked over the network only when asked (`propgen check --external`).

Kind to the sites it asks and quick for the coordinator: every address is asked once per
run, one request at a time per host (so a page of 50 Instagram links is not a burst),
several hosts at once up to a bound, each answer awaited at most `timeout` seconds, and
an address that answered well is not asked again for a day (an on-disk cache).
A site that refuses programs (401, 403, 429, LinkedIn's 999) gives a warning, not an
error: the link may well work in a browser.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .errors import Location, Report
from .linkcheck import ExternalLink
from .walk import replacing, user_cache

CACHE_SECONDS = 24 * 3600  # an address that answered well is trusted for a day
REFUSES_PROGRAMS = {401, 403, 429, 999}  # 999: LinkedIn's answer to anything that is not a browser
USER_AGENT = f"propgen/{__version__} (link check)"


@dataclass(frozen=True)
class Outcome:
    url: str
    problem: str = ""  # empty when the link works
    certain: bool = True  # False: the site would not say (a warning, not an error)


@dataclass(frozen=True)
class ExternalSummary:
    addresses: int
    cached: int
    broken: int


def cache_file(environ: dict[str, str]) -> Path | None:
    """Where answers are remembered: the user's cache folder, so CI can keep it between runs;
    None (nothing remembered) without one."""
    base = user_cache(environ)
    return None if base is None else base / "propgen" / "external-links.json"


def check_external(
    links: Sequence[ExternalLink], report: Report, timeout: float, max_concurrency: int, cache: Path | None, now: float
) -> ExternalSummary:
    """Ask each address once and report the ones that fail, at every place that links to them."""
    remembered = _load(cache, now) if cache is not None else {}
    addresses = sorted({link.url for link in links})
    to_ask = [url for url in addresses if url not in remembered]
    by_host: dict[str, list[str]] = {}
    for url in to_ask:
        by_host.setdefault(urlsplit(url).netloc.lower(), []).append(url)
    outcomes: dict[str, Outcome] = {}
    if by_host:
        with ThreadPoolExecutor(max_workers=min(max_concurrency, len(by_host))) as pool:
            for results in pool.map(lambda urls: [fetch(url, timeout) for url in urls], by_host.values()):
                outcomes.update((outcome.url, outcome) for outcome in results)
    for url, outcome in outcomes.items():
        if not outcome.problem:
            remembered[url] = now
    if cache is not None:
        _save(cache, remembered)
    failed = {url: o for url, o in outcomes.items() if o.problem}
    _report(links, failed, report)
    return ExternalSummary(len(addresses), len(addresses) - len(to_ask), len(failed))


def fetch(url: str, timeout: float) -> Outcome:
    """One GET (redirects followed), read no further than the status line and headers."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
        exc.close()
    except urllib.error.URLError as exc:
        return Outcome(url, _why(exc.reason, url, timeout))
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Outcome(url, _why(exc, url, timeout))
    if 200 <= status < 300:
        return Outcome(url)
    phrase = http.client.responses.get(status, "")
    answered = f"the site answered {status} {phrase}".rstrip()
    if status in REFUSES_PROGRAMS:
        return Outcome(url, f"{answered}, which sites send to programs they do not let in", certain=False)
    return Outcome(url, answered)


def _why(reason: object, url: str, timeout: float) -> str:
    host = urlsplit(url).hostname or url
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"the host {host} was not found"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the site's certificate is not valid: {reason.verify_message}"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot connect: {reason.strerror}"
    return f"cannot connect: {reason}"


def _report(links: Sequence[ExternalLink], failed: dict[str, Outcome], report: Report) -> None:
    grouped: dict[tuple[Location, str], list[str]] = {}
    for link in links:
        if link.url in failed:
            pages = grouped.setdefault((link.locate(), link.url), [])
            if link.page not in pages:
                pages.append(link.page)
    for (location, url), pages in grouped.items():
        outcome = failed[url]
        others = len(pages) - 1
        page = pages[0] + (f" (and {others} other page{'s' if others > 1 else ''})" if others else "")
        if outcome.certain:
            report.error(location, f"broken external link {page} -> {url}: {outcome.problem}", "correct the address, or remove the link")
        else:
            report.warning(
                location, f"cannot check external link {page} -> {url}: {outcome.problem}", "open it in a browser to see that it works"
            )


def _load(cache: Path, now: float) -> dict[str, float]:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        checked = data["checked"] if data.get("version") == 1 else {}
        return {str(url): float(at) for url, at in checked.items() if 0 <= now - float(at) < CACHE_SECONDS}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}  # no cache yet, or one this version cannot read: ask again


def _save(cache: Path, checked: dict[str, float]) -> None:
    """Write the cache whole or not at all; a cache that cannot be written only costs time."""
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        with replacing(cache) as file:
            file.write(json.dumps({"version": 1, "checked": dict(sorted(checked.items()))}, indent=1).encode("utf-8"))


def now() -> float:
    """The wall clock: cache freshness is about when sites answered, not SOURCE_DATE_EPOCH."""
    return time.time()
