"""propgen's processes for the tests, forked from one that has imported propgen already.

The suite starts about 600 propgen processes, and each spent 0.4 s (more on a busy machine)
starting Python and importing propgen, Jinja, markdown-it-py, PyYAML and Babel before doing
anything: over two minutes of a CI run on two cores. A launcher is a Python process that
has done that once: for each command it forks a child, which sets up what `python -m
propgen` would have (working folder, environment, argv, sys.path, stdin from /dev/null,
stdout and stderr to files) and runs propgen's `__main__` as that command does. So each
command is still a process of its own, with its own exit code, output, signals and
children; only the imports are shared, never a build's state (the launcher itself builds
nothing).

What a child cannot take from its launcher is what Python reads as it starts: the
variables PYTHON*, the locale's and the time zone's. A command that asks for other values
than the launcher's of these runs as a fresh interpreter instead (conftest.run_propgen).
Nor can a child have a hash seed of its own: it has its launcher's. Two launchers take
turns, so two commands in a row still order a set of strings differently, and the tests
that compare builds made with different hash seeds run fresh interpreters.

Run as a script, this file is the launcher: one JSON request a line on stdin, one answer a
line on stdout, one command at a time (`Launchers` keeps as many as run at once).
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

# What Python takes from the environment as it starts, before any of propgen runs: a child
# cannot change it, so a command wanting another value than its launcher's runs fresh.
STARTUP_PREFIXES = ("PYTHON", "LC_")
STARTUP_NAMES = ("LANG", "LANGUAGE", "TZ")


def startup_variables(env: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith(STARTUP_PREFIXES) or k in STARTUP_NAMES}


class Launcher:
    """The test's side of one launcher process."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=dict(env),
            text=True,
            encoding="utf-8",
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def run(self, args: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float | None) -> subprocess.CompletedProcess[str]:
        """As subprocess.run(["python", "-m", "propgen", *args], capture_output=True, text=True)."""
        assert self.process.stdin and self.process.stdout
        with tempfile.TemporaryDirectory(prefix="propgen-launched-") as folder:
            stdout, stderr = Path(folder, "stdout"), Path(folder, "stderr")
            request = {
                "args": list(args),
                "cwd": str(cwd),
                "env": dict(env),
                "timeout": timeout,
                "stdout": str(stdout),
                "stderr": str(stderr),
            }
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the propgen launcher ended (exit code {self.process.wait()})")
            answer = json.loads(line)
            # As subprocess.run(text=True) reads them: the locale's encoding, universal newlines.
            out, err = stdout.read_text(errors="strict"), stderr.read_text(errors="strict")
        command = [sys.executable, "-m", "propgen", *args]
        if answer["timed_out"] and timeout is not None:
            raise subprocess.TimeoutExpired(command, timeout, out, err)
        return subprocess.CompletedProcess(command, int(answer["returncode"]), out, err)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


class Launchers:
    """At least two launchers, taking turns, and one more for each command running at the same
    time (side_by_side runs two). Each launcher has its own hash seed, which all its children
    share: taking turns, two commands in a row never iterate a set of strings in the same
    order, as two fresh processes would not, so a build whose output hung on that order
    differs from the one before it."""

    TURNS = 2

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self.idle: collections.deque[Launcher] = collections.deque()
        self.started = 0
        self.lock = threading.Lock()

    def run(self, args: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float | None) -> subprocess.CompletedProcess[str] | None:
        """The command's result, or None when it must run as a fresh interpreter."""
        if startup_variables(env) != startup_variables(self.env):
            return None
        with self.lock:
            while self.idle and not self.idle[0].alive():
                self.idle.popleft().close()
                self.started -= 1
            launcher = self.idle.popleft() if self.idle and self.started >= self.TURNS else None
            if launcher is None:
                self.started += 1
        if launcher is None:
            launcher = Launcher(self.env)
        try:
            return launcher.run(args, cwd, env, timeout)
        finally:
            with self.lock:
                self.idle.append(launcher)  # the last in line: the other launcher's turn next

    def close(self) -> None:
        with self.lock:
            while self.idle:
                self.idle.popleft().close()


def child(request: dict[str, object]) -> None:
    """In the forked child: become `python -m propgen ARGS`, run from request's folder."""
    import runpy

    os.chdir(str(request["cwd"]))
    environ = request["env"]
    assert isinstance(environ, dict)
    os.environ.clear()
    os.environ.update(environ)
    for fd, opened in (
        (0, os.open(os.devnull, os.O_RDONLY)),
        (1, os.open(str(request["stdout"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)),
        (2, os.open(str(request["stderr"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)),
    ):
        os.dup2(opened, fd)
        os.close(opened)
    args = request["args"]
    assert isinstance(args, list)
    sys.argv = ["-m", *map(str, args)]  # runpy puts __main__.py's path first, as `python -m` does
    sys.path[0] = os.getcwd()  # `python -m` puts the working folder first; a script's, its folder
    runpy.run_module("propgen", run_name="__main__", alter_sys=True)


def preload() -> None:
    """What the children skip: what `python -m propgen` imports as it starts, and nothing
    more. A module propgen imports where it needs it (Pillow, cryptography, the link checker)
    is imported by each child as by a fresh process, so a missing import fails here too."""
    importlib.import_module("propgen.cli")


def python_exit(code: int) -> NoReturn:
    """End the child as Python ends: wait for its threads (the preview's), run its exit
    handlers (they remove propgen's temporary folders), flush what it printed. propgen's own
    exit does this itself when no thread runs (cli.exit_without_freeing)."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def serve() -> None:
    """The launcher: import propgen once, then fork a child for each request."""
    preload()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                child(request)
            except SystemExit as exc:  # as Python ends on it: a number is the exit code, a text is printed
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
            except BaseException:  # what an uncaught exception does to `python -m propgen`
                traceback.print_exc()
            finally:
                python_exit(code)
        timeout = request["timeout"]
        finished = ended_in_time(pid, None if timeout is None else float(timeout))
        if not finished:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"returncode": os.waitstatus_to_exitcode(status), "timed_out": not finished}), flush=True)


def ended_in_time(pid: int, timeout: float | None) -> bool:
    """Whether the child ended within `timeout` seconds (None: however long it takes); it is
    reaped by the caller. A Linux older than 5.3 has no pidfd to wait on: then its status is
    asked for every 10 ms."""
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        deadline = None if timeout is None else time.monotonic() + timeout
        while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True
    try:
        return bool(select.select([pidfd], [], [], timeout)[0])
    finally:
        os.close(pidfd)


if __name__ == "__main__":
    serve()
