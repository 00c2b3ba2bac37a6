"""`pip install .` (not editable) works: the built-in theme and the starter site travel in the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO, propgen_env


def test_wheel_installs_and_builds_a_new_site_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("propgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "propgen/themes/default/templates/base.html" in names
    assert "propgen/starter/propgen.yaml" in names
    assert "propgen/starter_id/content/events/first-event.yaml" in names  # propgen init --locale id
    target = tmp_path / "lib"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True, timeout=300
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = propgen_env(PYTHONPATH=str(target))
    env.pop("PYTHONSAFEPATH", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "propgen", *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)

    where = subprocess.run(
        [sys.executable, "-c", "import propgen; print(propgen.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target)), "the test must use the installed wheel, not the source tree"
    assert run("init", "mysite").returncode == 0
    built = run("build", "--site", "mysite", "--strict")
    assert built.returncode == 0, built.stderr
    assert (elsewhere / "mysite/output/assets/site.css").is_file()
    assert "Spring Garden Wedding" in (elsewhere / "mysite/output/index.html").read_text()
    assert os.listdir(elsewhere) == ["mysite"]
