"""Proposals: records (records.py) with their budget as an `Offer` (budget.py), terms
(terms.py), dates counted back from the event (timing.py) and a version (version.py).
The rest of propgen reads proposals through these names only."""

from __future__ import annotations

from .records import PORTFOLIO_SIZE, PastEvents, open_with_letter, pick_portfolio, read_locale, read_portfolio, read_proposals
from .version import proposal_version

_portfolio = read_portfolio  # the name sponsorships/records.py imports (it was private in proposals.py)

__all__ = [
    "PORTFOLIO_SIZE",
    "PastEvents",
    "_portfolio",
    "open_with_letter",
    "pick_portfolio",
    "proposal_version",
    "read_locale",
    "read_portfolio",
    "read_proposals",
]
