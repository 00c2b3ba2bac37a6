"""YAML is read as written: no YAML 1.1 guesses, every value converted with its location."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml

from propgen.errors import Report
from propgen.fields import Fields, Source


def fields(text: str) -> tuple[Fields, Report]:
    report = Report()
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return Fields(node, Source("x.yaml", report), "event"), report


def messages(report: Report) -> list[str]:
    return [str(p) for p in report.sorted()]


def test_times_country_codes_and_yes_stay_text() -> None:
    f, report = fields("time: 08:00\ncountry: NO\nformality: yes\nlate: 8:30\n")
    assert f.text("time") == "08:00"
    assert f.text("country") == "NO"
    assert f.text("formality") == "yes"
    assert f.text("late") == "8:30"
    assert report.problems == []


def test_dates_quoted_or_not() -> None:
    f, report = fields("a: 2025-03-14\nb: '2025-03-15'\nc: 14 March 2025\nd: 2025-02-30\n")
    assert f.date("a") == dt.date(2025, 3, 14)
    assert f.date("b") == dt.date(2025, 3, 15)
    assert f.date("c") is None
    assert f.date("d") is None
    assert messages(report) == [
        "x.yaml:3:4: error: 'c' should be a date written YYYY-MM-DD, not '14 March 2025' (hint: write e.g.  c: 2025-03-14)",
        "x.yaml:4:4: error: 'd' is not a real date: '2025-02-30' (hint: check the month and the day)",
    ]


def test_booleans_are_only_true_and_false() -> None:
    f, report = fields("featured: yes\ndraft: false\npublic: True\n")
    assert f.flag("featured", False) is False
    assert f.flag("draft", True) is False
    assert f.flag("public", False) is True
    assert messages(report) == [
        "x.yaml:1:11: error: 'featured' should be true or false, not 'yes' (hint: write  featured: true  or  featured: false)"
    ]


def test_numbers_never_go_through_float() -> None:
    f, report = fields("price: 0.1\nbig: 123456789012345.05\nqty: 1_000\nbad: 1,200\nhuge: 1234567890123456\n")
    assert f.decimal("price") == Decimal("0.1")
    assert f.decimal("big") == Decimal("123456789012345.05")
    assert f.whole("qty") == 1000
    assert f.decimal("bad") is None
    assert f.decimal("huge") is None
    assert messages(report) == [
        "x.yaml:4:6: error: 'bad' should be a number, not '1,200' (hint: write a plain number without currency symbols or thousands"
        " separators, e.g.  bad: 1500000)",
        "x.yaml:5:7: error: 'huge' has too many digits: 1234567890123456 (hint: use at most 15 digits before the decimal point and 6 after it)",
    ]


def test_unknown_key_suggests_the_closest_known_one() -> None:
    f, report = fields("title: Gala\ngusts: 200\n")
    f.text("title")
    f.whole("guests")
    f.finish()
    assert messages(report) == ["x.yaml:2:1: error: unknown field 'gusts' in event (hint: did you mean 'guests'?)"]


def test_comma_in_flow_mapping_gets_a_quoting_hint() -> None:
    f, report = fields("vendor: {name: Lumen, role: stage, lighting and sound}\n")
    v = f.mapping("vendor", "vendor")
    assert v is not None
    v.text("name")
    v.text("role")
    v.finish()
    assert "put quotes around a value that contains a comma" in messages(report)[0]


def test_duplicate_and_missing_keys() -> None:
    f, report = fields("title: A\ntitle: B\n")
    f.text("title")
    f.date("date", required=True)
    assert messages(report) == [
        "x.yaml:1:1: error: event needs 'date' (hint: add a line such as  date: 2025-03-14)",
        "x.yaml:2:1: error: 'title' is given twice (hint: keep only one of them)",
    ]
