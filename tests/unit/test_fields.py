"""YAML is read as written: no YAML 1.1 guesses, every value converted with its location."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import yaml

from propgen.dates import written_dates
from propgen.errors import Report
from propgen.fields import Fields, Source, plain_number


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
        "x.yaml:3:4: error: 'c' should be a date written YYYY-MM-DD, not '14 March 2025' (hint: write  c: 2025-03-14)",
        "x.yaml:4:4: error: 'd' is '2025-02-30', but February 2025 has 28 days (hint: write a real day, e.g.  d: 2025-02-28  (the last day of February))",
    ]


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("2026-04-31", "but April 2026 has 30 days (hint: write a real day, e.g.  date: 2026-04-30  (the last day of April))"),
        ("2024-02-30", "but February 2024 has 29 days (hint: write a real day, e.g.  date: 2024-02-29  (the last day of February))"),
        ("30 Februari 2026", "but February 2026 has 28 days (hint: write a real day, e.g.  date: 2026-02-28  (the last day of February))"),
        (
            "2026-13-01",
            "but there is no month 13 (the month comes before the day) (hint: write a real day, e.g.  date: 2026-01-13  if you meant 13 January)",
        ),
        ("2026-13-20", "but there is no month 13: months go from 1 to 12 (hint: write a real day, e.g.  date: 2026-12-20)"),
        ("2026-00-20", "but there is no month 0: months go from 1 to 12 (hint: write a real day, e.g.  date: 2026-01-20)"),
        ("2026-05-00", "but the days of May 2026 start at 1 (hint: write a real day, e.g.  date: 2026-05-01  (the first day of May))"),
    ],
)
def test_a_day_the_month_does_not_have_says_so_with_a_real_one(written: str, said: str) -> None:
    f, report = fields(f"date: {written}\n")
    assert f.date("date") is None
    assert messages(report) == [f"x.yaml:1:7: error: 'date' is '{written}', {said}"]


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
        "x.yaml:4:6: error: 'bad' should be a number, not '1,200' (hint: write digits only:  bad: 1200)",
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


def test_numbers_in_exponent_form_percent_signs_and_thousands_of_digits() -> None:
    nines = "9" * 5000
    f, report = fields(f"a: 1e6\nb: 1.5e3\nc: 1e99999\nd: 50%\ne: {nines}\nf: 2e3\ng: 1e99999\nh: 1e-9\n")
    assert [f.decimal(k) for k in "abcde"] == [None] * 5
    assert f.whole("f") is None and f.whole("g") is None
    assert f.decimal("h") is None
    too_many = "(hint: use at most 15 digits before the decimal point and 6 after it)"
    assert messages(report) == [
        "x.yaml:1:4: error: 'a' should be a number, not '1e6' (hint: write the digits out:  a: 1000000)",
        "x.yaml:2:4: error: 'b' should be a number, not '1.5e3' (hint: write the digits out:  b: 1500)",
        f"x.yaml:3:4: error: 'c' has too many digits: 1e99999 {too_many}",
        "x.yaml:4:4: error: 'd' should be a number, not '50%' (hint: write the number without the % sign:  d: 50)",
        f"x.yaml:5:4: error: 'e' has too many digits: {'9' * 39}… {too_many}",
        "x.yaml:6:4: error: 'f' should be a whole number, not '2e3' (hint: write the digits out:  f: 2000)",
        "x.yaml:7:4: error: 'g' is too large: 1e99999 (hint: use at most 15 digits)",
        f"x.yaml:8:4: error: 'h' has too many digits: 1e-9 {too_many}",
    ]


def test_an_email_address_is_one_plain_address_and_the_hint_says_how() -> None:
    f, report = fields(
        "ok: o'brien.events+accept@mail.example.co.id\n"
        "query: hello@events.example?bcc=spy@evil.example\n"
        "amp: a&b@events.example\n"
        "named: Sari Wijaya <sari@events.example>\n"
        "scheme: MAILTO:sari@events.example\n"
        "two: a@events.example, b@events.example\n"
        "space: sari wijaya@events.example\n"
        "bare: not-an-email\n"
        "nodot: hello@localhost\n"
        'broken: "hello@events.example\\nBcc: the whole team"\n'
    )
    assert f.email("ok") == "o'brien.events+accept@mail.example.co.id"
    keys = ["query", "amp", "named", "scheme", "two", "space", "bare", "nodot", "broken"]
    assert [f.email(key) for key in keys] == [None] * len(keys)
    assert [p.hint for p in report.sorted()] == [
        "write the address alone:  hello@events.example",
        "write it without '&', like hello@example.com",
        "write the address alone:  sari@events.example",
        "write the address alone:  sari@events.example",
        "write one address only, like hello@example.com",
        "write it without spaces, like hello@example.com",
        "write it like hello@example.com",
        "write it like hello@example.com",
        "write it without ':' or spaces, like hello@example.com",
    ]
    assert str(report.sorted()[-1]).startswith(
        "x.yaml:10:9: error: 'broken' should be an email address, not 'hello@events.example\\nBcc: the whole te…'"
    )


def test_a_field_name_must_be_a_word_not_a_list() -> None:
    f, report = fields("title: Gala\n? [a, b]\n: x\n{c: d}: y\n")
    f.text("title")
    f.finish()
    assert messages(report) == [
        "x.yaml:2:3: error: a field name should be a word, not a list (hint: write  name: value  with a plain name before the colon)",
        "x.yaml:4:1: error: a field name should be a word, not a set of fields (hint: write  name: value  with a plain name before the colon)",
    ]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Rp 15.000.000", "15000000"),
        ("15,000,000", "15000000"),
        ("15.000.000,50", "15000000.50"),
        ("$ 1,250.75", "1250.75"),
        ("1 200", "1200"),
        ("Rp185.000", "185000"),
        ("1,5", "1.5"),
        ("IDR 9000000", "9000000"),
        ("15,000.000.5", None),  # a decimal mark that repeats is no number
        ("1,2345,678", None),  # groups of four digits are no thousands
        ("about 120", None),
        ("two hundred", None),
    ],
)
def test_a_number_written_as_on_an_invoice_is_read_back_only_when_certain(written: str, meant: str | None) -> None:
    assert plain_number(written) == meant


def test_a_comma_inside_braces_splits_no_number() -> None:
    f, report = fields("budget: {amount: Rp 1,250,000, currency: IDR}\nclient: {name: Anna, Ben and Co}\n")
    budget, client = Fields(f.node_of("budget"), f.source, "budget", "budget"), Fields(f.node_of("client"), f.source, "client", "client")
    assert budget.decimal("amount") is None
    assert budget.text("currency") == "IDR"
    budget.finish()
    assert client.text("name") == "Anna"
    client.finish()
    assert messages(report) == [
        "x.yaml:1:18: error: 'budget.amount' should be a number, not 'Rp 1,250,000' (hint: write digits only:  amount: 1250000)",
        "x.yaml:2:22: error: unknown field 'client.Ben and Co' in client (hint: inside { } a comma starts a new field: put quotes around a value"
        " that contains a comma)",
    ]


@pytest.mark.parametrize(("currency", "refused"), [("IDR", True), ("USD", True), ("EUR", True), ("KWD", False)])
def test_a_point_before_three_digits_in_money_is_asked_about(currency: str, refused: bool) -> None:
    f, report = fields("price: 185.000\nplain: 185.5\n")
    assert (f.money_amount("price", currency) is None) is refused
    assert f.money_amount("plain", currency if currency != "IDR" else "USD") == Decimal("185.5")
    assert [m.split(" (hint")[0] for m in messages(report)] == (
        [f"x.yaml:1:8: error: 'price' is written 185.000, which propgen reads as 185 {currency}: '.' is the decimal point"]
        if refused
        else []
    )


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2026-5-12", [dt.date(2026, 5, 12)]),
        ("5 Mei 2026", [dt.date(2026, 5, 5)]),
        ("17 Agustus 2026", [dt.date(2026, 8, 17)]),
        ("May 5, 2026", [dt.date(2026, 5, 5)]),
        ("31/12/2026", [dt.date(2026, 12, 31)]),
        ("12/05/2026", [dt.date(2026, 5, 12), dt.date(2026, 12, 5)]),
        ("30 Februari 2026", []),
        ("next week", []),
    ],
)
def test_a_date_written_another_way_is_read_back_for_the_hint(written: str, meant: list[dt.date]) -> None:
    assert written_dates(written) == meant


@pytest.mark.parametrize("written", ["services: venue\n  - catering\n  - decor\n", "services: venue\n    - catering\n    - decor\n"])
def test_a_list_field_whose_items_yaml_read_as_its_text_says_so(written: str) -> None:
    """`services: venue` with `  - catering` below it is to YAML one line of text, "venue -
    catering - decor": a list of one. Said at the field, with how to write the list."""
    record, report = fields("title: Gala\n" + written)
    assert record.texts("services") == ["venue - catering - decor"]
    assert messages(report) == [
        "x.yaml:2:11: warning: 'services' is one line of text here, 'venue - catering - decor': YAML read the '- ' lines"
        " below it as part of that text, not as items of a list (hint: write 'services:' alone on its line, then each"
        " item on a line of its own below it, e.g.  - venue)"
    ]


@pytest.mark.parametrize(
    "written",
    ["services: venue - catering\n", "services: venue\n", "services:\n  - venue\n  - catering\n", "services: [venue - catering]\n"],
)
def test_a_list_field_written_as_it_reads_says_nothing(written: str) -> None:
    record, report = fields("title: Gala\n" + written)
    record.texts("services")
    assert messages(report) == []
