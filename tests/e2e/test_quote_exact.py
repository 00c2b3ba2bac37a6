"""The page's quote.js computes every figure exactly as money.py does: a property test over
generated budgets (IDR, EUR, JPY; discounts, service charges, taxes; optional lines, ranges,
choice groups; payment schedules, cancellation steps) and the client's selections, run in
Node. Same minor units for every figure, same text for every amount in seven locales."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision
from browser_support import missing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from propgen.money import Adjustment, BudgetLine, Offer, format_money, has_cents, script_data

QUOTE_JS = REPO / "src/propgen/themes/default/static/quote.js"
LOCALES = ["en", "id", "de_DE", "ja", "en_IN", "fr", "de_CH"]  # de_CH: the apostrophe between groups
RUNNER = """
const quote = require(process.argv[1]);
const lines = require("readline").createInterface({input: process.stdin});
lines.on("line", (text) => {
  const {data, selection} = JSON.parse(text);
  const figures = quote.compute(data, selection);
  const cents = quote.hasCents(data, figures);
  const out = {};
  for (const key of Object.keys(figures)) out[key] = figures[key].map(String);
  out.text = [].concat(figures.lines, figures.totals, figures.payments, figures.cancellation).map((x) => quote.format(x, cents, data.format));
  out.cents = cents;
  process.stdout.write(JSON.stringify(out) + "\\n");
});
"""


@pytest.fixture(scope="module")
def node_quote() -> Iterator[subprocess.Popen[str]]:
    node = shutil.which("node")
    if node is None:
        missing("Node.js (to run quote.js as the browser does)", "apt-get install nodejs")
    process = subprocess.Popen(
        [node, "-e", RUNNER, str(QUOTE_JS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )
    yield process
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    process.wait(timeout=10)
    process.stdout.close()


def ask(process: subprocess.Popen[str], data: object, selection: list[str | None]) -> dict[str, object]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps({"data": data, "selection": selection}) + "\n")
    process.stdin.flush()
    answer: dict[str, object] = json.loads(process.stdout.readline())
    return answer


def decimals(top: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, top * 10**places).map(lambda n: Decimal(n).scaleb(-places))


@st.composite
def offers(draw: st.DrawFn) -> tuple[Offer, str]:
    currency = draw(st.sampled_from(["IDR", "EUR", "JPY"]))
    digits = get_currency_precision(currency)
    price = st.integers(0, 10**10).map(lambda n: Decimal(n).scaleb(-digits))
    lines: list[BudgetLine] = []
    for _ in range(draw(st.integers(1, 4))):  # fixed lines, some with half quantities
        half = draw(st.booleans())
        minor = draw(st.integers(0, 10**9)) * (2 if half else 1)
        qty = Decimal(draw(st.integers(0, 999))) / (2 if half else 1)
        lines.append(BudgetLine(draw(st.sampled_from(["", "Venue", "Catering"])), "fixed", Decimal(minor).scaleb(-digits), qty))
    for _ in range(draw(st.integers(0, 3))):
        lines.append(
            BudgetLine("Options", "optional", draw(price), Decimal(draw(st.integers(0, 50))), optional=True, selected=draw(st.booleans()))
        )
    for _ in range(draw(st.integers(0, 2))):
        low = draw(st.integers(0, 300))
        high = draw(st.integers(low, low + 500))
        qty = Decimal(draw(st.integers(low, high)))
        lines.append(BudgetLine("Catering", "range", draw(price), qty, qty_range=(low, high), optional=draw(st.booleans())))
    for group in range(draw(st.integers(0, 2))):
        size = draw(st.integers(2, 3))
        picked = draw(st.integers(-1, size - 1))
        for i in range(size):
            lines.append(BudgetLine("Planning", f"alt {i}", draw(price), Decimal(1), choice=f"g{group}", selected=i == picked))
    order = draw(st.permutations(list(range(len(lines)))))
    lines = [lines[i] for i in order]
    offer = Offer(currency, tuple(lines))
    discount = draw(
        st.one_of(
            st.none(),
            decimals(100, 2).map(lambda p: Adjustment("d", percent=p)),
            st.integers(0, int(offer.lowest_subtotal().scaleb(digits))).map(lambda n: Adjustment("d", amount=Decimal(n).scaleb(-digits))),
        )
    )
    service = draw(st.one_of(st.none(), decimals(30, 3).map(lambda p: Adjustment("s", percent=p))))
    tax = draw(st.one_of(st.none(), decimals(30, 3).map(lambda p: Adjustment("t", percent=p))))
    cuts = sorted(draw(st.lists(st.integers(1, 9999), max_size=3, unique=True)))
    payments = tuple(Decimal(b - a).scaleb(-2) for a, b in zip([0, *cuts], [*cuts, 10000], strict=True))
    steps = sorted(draw(st.lists(st.integers(0, 10000), max_size=3, unique=True)))
    cancellation = tuple(Decimal(n).scaleb(-2) for n in steps)
    offer = Offer(currency, tuple(lines), discount, service, tax, payments, cancellation)
    return offer, draw(st.sampled_from(LOCALES))


@st.composite
def selections(draw: st.DrawFn, offer: Offer) -> tuple[Decimal | None, ...]:
    groups: dict[str, list[int]] = {}
    for index, line in enumerate(offer.lines):
        if line.choice:
            groups.setdefault(line.choice, []).append(index)
    picked = {name: draw(st.sampled_from(members)) for name, members in groups.items()}
    chosen: list[Decimal | None] = []
    for index, line in enumerate(offer.lines):
        qty: Decimal | None = line.qty
        if line.qty_range:
            qty = Decimal(draw(st.integers(*line.qty_range)))
        if line.optional and not draw(st.booleans()):
            qty = None
        if line.choice and picked[line.choice] != index:
            qty = None
        chosen.append(qty)
    return tuple(chosen)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_quote_js_computes_every_figure_as_money_py_does(node_quote: subprocess.Popen[str], data: st.DataObject) -> None:
    offer, locale = data.draw(offers())
    selection = data.draw(selections(offer)) if data.draw(st.booleans()) else offer.default()
    assert offer.allows(selection)
    expected = offer.figures(selection)
    answer = ask(node_quote, script_data(offer, locale), [None if q is None else format(q, "f") for q in selection])
    assert {key: [int(x) for x in answer[key]] for key in expected} == expected  # type: ignore[attr-defined]
    cents = has_cents(offer, expected)
    assert answer["cents"] == cents
    digits = get_currency_precision(offer.currency)
    amounts = [*expected["lines"], *expected["totals"], *expected["payments"], *expected["cancellation"]]
    assert answer["text"] == [format_money(Decimal(x).scaleb(-digits), offer.currency, locale, cents) for x in amounts]
