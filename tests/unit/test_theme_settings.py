"""WCAG contrast as the accent warning computes it, against published reference values."""

from __future__ import annotations

import pytest

from propgen.theme_settings import contrast, normal_colour


@pytest.mark.parametrize(
    ("one", "other", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),  # the largest contrast there is
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white, a well-known reference
        ("#777777", "#ffffff", 4.48),  # one step lighter fails
    ],
)
def test_contrast_ratio(one: str, other: str, ratio: float) -> None:
    assert round(contrast(one, other), 2) == ratio
    assert contrast(other, one) == contrast(one, other)


def test_short_colours_are_written_out() -> None:
    assert normal_colour("#0AF") == "#00aaff"
