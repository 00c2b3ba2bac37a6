"""Shared fixtures: tiny sites made from a dict of files, and propgen run as a real process."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from launcher import Launchers

T = TypeVar("T")
REPO = Path(__file__).resolve().parent.parent
EPOCH = "1794700800"  # 2026-11-15: the demo's "now", so expiry and footers do not move
DEMO_SECRET = "demo-secret-for-the-tests-0123456789"  # 32+ characters: shorter ones are a warning
DEMO_PASSWORDS = {"PRATAMA_PROPOSAL_PASSWORD": "kebun-2027", "ONKOFARMA_PROSPECTUS_PASSWORD": "onko-forum-2027"}
STRONG_SECRET = "test-link-secret-0123456789abcdefghij"  # for tiny sites: shorter secrets are a warning
# The demo keeps one expired proposal on purpose, to show its expired page:
DEMO_EXPIRED_WARNING = (
    "content/proposals/meridian-bank-gala.yaml:4:14: warning: this proposal expired on 2026-10-31; its page shows the expired notice"
    " (hint: to send it again, move valid_until later; to take its link down, delete the proposal)"
)

# ... and one prospect whose suggested tier has sold out since, to show that page (a reminder too):
DEMO_SOLD_OUT_WARNING = (
    "content/sponsorships/oncology-forum-2027.yaml:41:16: warning: the tier suggested to Harapan Hospital Group, Silver, is sold out;"
    " the page shows it as sold out (hint: suggest a tier that is still available, or leave it if you want them to see it sold out)"
)

DEMO_REMINDERS = [DEMO_EXPIRED_WARNING, DEMO_SOLD_OUT_WARNING]  # all the demo's --strict build prints


def demo_env(**extra: str) -> dict[str, str]:
    return propgen_env(**{"PROPGEN_SECRET": DEMO_SECRET, **DEMO_PASSWORDS, **extra})


MINIMAL_PROPOSAL = """\
title: Harbour Forum 2027
client: {name: PT Harbour}
prepared_on: 2026-11-01
valid_until: 2027-01-31
event: {type: conference, date: 2027-06-12}
accept: {email: hello@events.example}
"""  # the least a proposal needs: a title, a client, dates, an event and a way to say yes


BASE_CONFIG = """\
title: Test Events
base_url: https://events.example/
locale: en
currency: USD
coordinator: {name: Test Coordinator, email: test@events.example}
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the demo build")


def free_port() -> int:
    """A loopback port nobody listens on right now, for servers the tests start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """make_site({"content/events/x.yaml": "..."}) -> a site folder with a valid propgen.yaml."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        return write_files(root, {"propgen.yaml": BASE_CONFIG, **files})

    return make


# Where the propgen processes the tests start keep their bytecode: outside the source tree (which
# stays as git has it), and shared by them all. A clean checkout has no compiled propgen, and
# without this every one of the suite's many hundred processes compiled it again (a tenth of a
# second each). Python checks each file against its source, so an edited module is compiled again.
BYTECODE = Path(tempfile.mkdtemp(prefix="propgen-tests-bytecode-"))
# The user's cache folder, where builds keep the key that signs compiled templates
# (compiled.py): the tests', not the real one of whoever runs them.
USER_CACHE = Path(tempfile.mkdtemp(prefix="propgen-tests-user-cache-"))
os.environ["XDG_CACHE_HOME"] = str(USER_CACHE)


def pytest_unconfigure(config: pytest.Config) -> None:
    LAUNCHERS.close()
    shutil.rmtree(BYTECODE, ignore_errors=True)
    shutil.rmtree(USER_CACHE, ignore_errors=True)


def propgen_env(**extra: str) -> dict[str, str]:
    dropped = ("SOURCE_DATE_EPOCH", "PYTHONDONTWRITEBYTECODE")  # the second would keep BYTECODE empty
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROPGEN_") and k not in dropped}
    env.update({"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPYCACHEPREFIX": str(BYTECODE)})
    env.update(extra)
    return env


LAUNCHERS = Launchers(propgen_env())  # started as commands need them, one for each command running at once


def run_propgen(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120, fresh: bool = False
) -> subprocess.CompletedProcess[str]:
    """propgen as a user runs it: a separate process, its exit code, stdout and stderr. The
    process is forked from one that has imported propgen already (tests/launcher.py), unless
    `fresh` or its environment asks for another Python start: then `python -m propgen`."""
    if "--no-cache" in args and (cwd / "content/events/oncology-research-forum.yaml").is_file():
        # --no-cache also leaves out the processed photos: the demo's 43 camera photos again, a
        # minute of CPU each time. A clean build of the demo takes a fresh --cache-dir with the
        # session's photos instead (with_photos(dir, photos)): nothing of its pages is cached.
        raise AssertionError("a test builds the demo with --no-cache: use --cache-dir with_photos(...) (tests/conftest.py)")
    env = env if env is not None else propgen_env()
    launched = LAUNCHERS.run(args, cwd, env, timeout) if not fresh else None  # tests/launcher.py
    if launched is not None:
        return launched
    return subprocess.run(
        [sys.executable, "-m", "propgen", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def side_by_side(*runs: Callable[[], T]) -> list[T]:
    """Independent propgen processes run at the same time, their results in the order given
    (an assertion failing in one is raised here).
    pytest runs one test at a time, so one core sat idle while an incremental build and the
    clean build it is compared with ran one after the other; they read the same site and
    write to separate folders (output, cache, working files beside the output), so neither
    can see the other: the test asserts the same of each as when they took turns."""
    with ThreadPoolExecutor(len(runs)) as pool:
        started = [pool.submit(run) for run in runs]
        return [future.result() for future in started]


@pytest.fixture(scope="session")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo site (the repository itself), so tests never touch the real output/."""
    target = tmp_path_factory.mktemp("demo") / "site"
    target.mkdir()
    for name in ("propgen.yaml", "content", "static", "themes"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


THEMES = ("default", "editorial")  # the built-in themes; the demo is built and checked in each


def build_demo_as(demo_copy: Path, site: Path, theme: str = "default") -> Path:
    """The demo copied to `site` with another `theme:` (Indonesian at the root, English under
    /en/, as the demo is), built as CI builds it (--strict, only the demo's reminders);
    returns its output folder."""
    shutil.copytree(demo_copy, site, ignore=shutil.ignore_patterns("output"))  # with built_demo's processed photos
    config = site / "propgen.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\ntheme: default\n" in text, "the demo's propgen.yaml names its theme"
    config.write_text(text.replace("\ntheme: default\n", f"\ntheme: {theme}\n"))
    result = run_propgen("build", "--strict", cwd=site, env=demo_env(), timeout=900)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == DEMO_REMINDERS
    return site / "output"


@pytest.fixture(scope="session")
def built_editorial(demo_copy: Path, built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo built with `theme: editorial`, once for the session."""
    return build_demo_as(demo_copy, tmp_path_factory.mktemp("demo-editorial") / "site", "editorial")


@pytest.fixture(scope="session")
def built_themes(built_demo: Path, built_editorial: Path) -> dict[str, Path]:
    """The demo's output folder in each built-in theme, by theme name."""
    return {"default": built_demo, "editorial": built_editorial}


@pytest.fixture(scope="session")
def built_demo(demo_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built once for the whole session; returns its output folder. This first,
    cold build processes the demo's camera-size photos (a minute of CPU, longer on a busy
    machine); it leaves them in demo_copy's .propgen-cache/, so every later build of demo_copy
    (or of a copy of it with its cache) finds them there: a test that builds the demo asks for
    this fixture first."""
    with shared_photos(tmp_path_factory, demo_copy / ".propgen-cache/images"):
        result = run_propgen("build", "--strict", cwd=demo_copy, env=demo_env(), timeout=900)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == DEMO_REMINDERS  # reminders --strict lets pass; nothing else warns
    return demo_copy / "output"


@contextmanager
def shared_photos(factory: pytest.TempPathFactory, images: Path) -> Iterator[None]:
    """Under pytest-xdist every worker builds the demo for itself: the first to get here
    processes the photos (on every core) and leaves them in the run's shared temporary folder;
    the others wait for it and start from them, instead of all processing them at once (each
    a minute of CPU, on the same cores). tests/e2e/test_images.py builds photos from nothing."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        yield
        return
    shared = factory.getbasetemp().parent / "demo-photos"
    with open(shared.with_name("demo-photos.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if shared.is_dir():
            shutil.copytree(shared, images)
        yield
        if not shared.is_dir() and images.is_dir():
            partial = shared.with_name("demo-photos.partial")
            shutil.copytree(images, partial)
            partial.rename(shared)


@pytest.fixture
def photos(built_demo: Path, demo_copy: Path) -> Path:
    """The demo's processed photos from the session's first build. They are kept by content
    hash, so every build may start from them (tests/e2e/test_images.py proves the photo cache
    itself); pages and Markdown are what these tests compare."""
    return demo_copy / ".propgen-cache/images"


def with_photos(cache: Path, photos: Path) -> Path:
    shutil.copytree(photos, cache / "images")
    return cache


@pytest.fixture
def demo(tmp_path: Path, photos: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    for name in ("propgen.yaml", "content", "static", "themes"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        elif source.is_file():
            shutil.copy2(source, site / name)
    with_photos(site / ".propgen-cache", photos)
    return site
