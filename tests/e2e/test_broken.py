"""One tiny broken site per failure mode (tests/broken/<case>/): `propgen build` must exit 1,
print exactly the lines in expected_error.txt, write nothing and show no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_propgen

CASES = sorted(p for p in (REPO / "tests" / "broken").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_site_reports_exactly_its_problems(case: Path, tmp_path: Path) -> None:
    site = tmp_path / case.name
    shutil.copytree(case, site)
    (site / "expected_error.txt").unlink()
    result = run_propgen("build", cwd=site)
    expected = (case / "expected_error.txt").read_text()
    assert result.stderr == expected
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()
