"""Sponsorship prospectuses: one private page per prospective sponsor, showing the audience it wants.

The stage's public face, one function per step, imported from its module so that each
keeps its own place in the pipeline (README's module map):

- `records.read_sponsorships`: content/sponsorships/<slug>.yaml -> `Sponsorship` models, every problem at its line
- `match.audience_match`: shares of the audience -> head counts, and what matches a prospect's `wants`
- `view.prospect_view`, `view.overview_view`: the template contexts of a prospect's page and of the team's overview

Routes, secret links, passwords, expiry and drafts are the ones proposals use (routes.py,
links.py, render.py, guards.py); nothing here copies them.
"""
