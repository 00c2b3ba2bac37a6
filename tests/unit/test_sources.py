"""Reading YAML: whatever a file holds, composing it ends quickly with nodes or a located problem."""

from __future__ import annotations

import time

import pytest

from propgen.errors import Report
from propgen.sources import compose_yaml, split_language


def compose(text: str, first_line: int = 1) -> list[str]:
    report = Report()
    node = compose_yaml(text, "x.yaml", report, first_line)
    assert (node is None) == bool(report.problems)
    return [str(p) for p in report.sorted()]


def laughs(levels: int, width: int = 10) -> str:
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_stop_within_a_second() -> None:
    started = time.monotonic()
    problems = compose(laughs(12) + "? *l11\n: key\n")  # 10 to the 12th values
    assert time.monotonic() - started < 1
    assert problems == [
        "x.yaml:5:5: error: this YAML is too large to read: the aliases (*name) here expand to more than 100,000 values"
        " (hint: let an alias (*name) repeat a small value, not a list of other aliases)"
    ]


def test_aliases_used_a_reasonable_number_of_times_are_fine() -> None:
    assert compose(laughs(4)) == []  # 10,000 values
    assert compose("venue: &v {name: Hall, city: Bogor}\nagain: *v\nonce_more: *v\n") == []


def test_a_value_holding_an_alias_of_itself_is_an_error() -> None:
    assert compose("title: Gala\ntags: &t [a, [b, *t]]\n") == [
        "x.yaml:2:7: error: this YAML value contains an alias (*name) of itself, so it never ends"
        " (hint: an alias may only repeat a value that is complete before it)"
    ]


def test_half_characters_are_errors_at_their_line() -> None:
    assert compose('title: "ok \\u00e9"\nsummary: "\\ud83c\\udf86 and \\ud800"\n"\\udfff": key\n', first_line=2) == [
        "x.yaml:3:10: error: this text contains the escape \\ud83c, which is only half of a character"
        " (hint: YAML writes this character as one escape, \\U0001f386, not \\ud83c\\udf86; or paste the character itself)",
        "x.yaml:4:1: error: this text contains the escape \\udfff, which is only half of a character"
        " (hint: remove this escape, or paste the character you meant, or write it as \\U and its 8 hex digits)",
    ]


def test_a_missing_colon_is_reported_on_its_own_line() -> None:
    assert compose("title: Gala\nvenue:\n  name: Hall\n  city Bogor\n  country: Indonesia\ndate: 2025-05-10\n", first_line=2) == [
        "x.yaml:5:3: error: this is not valid YAML: this line has no ':' after a field name"
        " (hint: if 'city' is a field, write  city: Bogor; if the line continues the value above it, indent it)"
    ]
    assert compose("summary: A long line\nthat goes on\n") == [
        "x.yaml:2:1: error: this is not valid YAML: this line has no ':' after a field name"
        " (hint: if 'that' is a field, write  that: goes on; if the line continues the value above it, indent it)"
    ]


def test_control_characters_from_escapes_are_errors() -> None:
    assert compose('title: "Gala\\x07"\ntask: "Call\\ttwice\\nthen wait"\ncity: "Bogor\\e"\nnote: "\\x9b"\n') == [
        "x.yaml:1:8: error: this text contains the control character \\x07, which no page or calendar can show"
        " (hint: remove that escape from the text in double quotes)",
        "x.yaml:3:7: error: this text contains the control character \\x1b, which no page or calendar can show"
        " (hint: remove that escape from the text in double quotes)",
        "x.yaml:4:7: error: this text contains the control character \\x9b, which no page or calendar can show"
        " (hint: remove that escape from the text in double quotes)",
    ]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("about.en", ("about", "en")),
        ("gala-2025.pt_BR", ("gala-2025", "pt_BR")),
        ("about", ("about", "")),
        ("about.EN", ("about.EN", "")),  # not a language code: the stem stays, and is reported as no slug
        ("About.en", ("About.en", "")),
        ("a.b.en", ("a.b.en", "")),
    ],
)
def test_a_translation_names_its_original_and_language(stem: str, expected: tuple[str, str]) -> None:
    assert split_language(stem) == expected


def continued(text: str, first_line: int = 1) -> list[str]:
    report = Report()
    assert compose_yaml(text, "x.yaml", report, first_line) is not None
    return [str(p) for p in report.sorted()]


def test_a_list_item_indented_under_the_one_above_is_a_warning_at_its_line() -> None:
    text = "needs:\n  - Ballroom for 300\n    - Stage and sound\n  - Parking\n"
    assert continued(text) == [
        "x.yaml:3:5: warning: YAML reads this '- ' line as the end of the text above, not as a list item:"
        " 'Ballroom for 300 - Stage and sound' (hint: to make it an item of its own, put its '-' at the same indentation as the '-' above)"
    ]
    assert continued(text, first_line=2)[0].startswith("x.yaml:4:5: warning:")  # front matter starts on line 2


@pytest.mark.parametrize(
    "text",
    [
        "needs:\n  - Ballroom for 300\n  - Stage and sound\n",  # items side by side
        "notes: |\n  Prices include tax.\n    - a nested Markdown list\n",  # a block is Markdown, kept as written
        "notes: >\n  Prices include tax.\n    - folded, as asked\n",
        'needs:\n  - "Ballroom for 300\n    - in quotes, as written"\n',
        "grid:\n  - - a\n    - b\n",  # a list in a list
        "items:\n  - name: Hall\n    parts:\n      - a\n",
        "summary: Three days,\n  850 guests - and 14 sponsors.\n",  # a dash inside continued text
        # A text field wrapped onto a line that starts with a dash (Indonesian often uses ' - ' as one): text as written.
        "summary: Akad siang dan makan malam untuk 120 tamu\n  - tepat waktu meski hujan turun.\n",
        "services: [venue selection, catering,\n  florals and\n    - music]\n",  # a [ ] list has no '- ' items
    ],
)
def test_what_yaml_reads_as_written_is_no_warning(text: str) -> None:
    assert continued(text) == []
