"""`terms:` of a proposal: what is included and excluded, the cancellation schedule (steps
counted back from the event date, each later and higher than the one before), and notes in
Markdown. Amounts are not worked out here: a step is a share of whatever total the client
chooses (money.py's `cancellation_amounts`)."""

from __future__ import annotations

import yaml

from ..fields import Fields
from ..images import StaticFiles, render_checked
from ..markdown import Renderer
from ..models import CancellationStep, ProposalEvent, Terms
from .timing import counted_back, written_after


def read_terms(f: Fields, event: ProposalEvent | None, markdown: Renderer, static: StaticFiles) -> Terms | None:
    terms = f.mapping("terms", "terms", example="{included: [...], excluded: [...], cancellation: [...], notes: ...}")
    if terms is None:
        return None
    included = tuple(terms.texts("included", example="[Planning meetings, Vendor contracts]"))
    excluded = tuple(terms.texts("excluded", example="[Guest travel]"))
    cancellation = _cancellation(terms, event)
    notes_html = _notes(terms, markdown, static)
    terms.finish()
    return Terms(included, excluded, cancellation, notes_html)


def _cancellation(terms: Fields, event: ProposalEvent | None) -> tuple[CancellationStep, ...]:
    steps: list[CancellationStep] = []
    example = "- {before: 6 months, percent: 30}"
    for step in terms.records("cancellation", "cancellation step", example):
        percent = step.decimal("percent", required=True, example="30")
        after = written_after(step, event, takes_date=False)
        if not step.has("before") and not after:
            step.absent(("before",), "a cancellation step needs 'before'", f"count it back from the event date, e.g.  {example}")
        date, before = counted_back(step, event)
        if percent is not None and not 0 <= percent <= 100:
            step.error(
                step.node_of("percent"),
                f"a cancellation step's percent is {percent}, outside 0-100",
                "write the share of the total that stays due, from 0 to 100",
            )
            percent = None
        if date is not None and percent is not None and steps:
            last = steps[-1]
            if date <= last.date:
                step.error(
                    step.node_of("before"),
                    f"this step ({before} before, {date}) is not later than the one above it ({last.before} before, {last.date})",
                    "list the steps from the earliest to the latest: the furthest from the event first",
                )
                date = None
            elif percent <= last.percent:
                step.error(
                    step.node_of("percent"),
                    f"this step keeps {percent}% due, not more than the {last.percent}% of the step above it",
                    "each later step keeps a higher share due: raise it, or remove one of the steps",
                )
                date = None
        step.finish()
        if date is not None and percent is not None:
            steps.append(CancellationStep(before, date, percent))
    return tuple(steps)


def _notes(terms: Fields, markdown: Renderer, static: StaticFiles) -> str:
    text = terms.text("notes", example="Prices include 11% PPN.")
    if not text:
        return ""
    node = terms.node_of("notes")
    block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
    first = terms.source.at(node).line + (1 if block else 0)  # a block's text starts on the line under its `|`
    return render_checked(text, terms.source.display, first, markdown, static, terms.source.report)
