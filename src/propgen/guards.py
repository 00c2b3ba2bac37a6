"""Proposal guard rails: what must not reach a client by mistake.

A placeholder left from `propgen new proposal`, a `password_env` that would publish a
proposal unprotected or put the password in the repository, one password shared by two
clients, an offer that has expired: each is reported at its line, while the proposal is
read (or, for expiry, once the build knows its "now"). The values of secrets are never
part of a message.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from .config import Config
from .errors import Location, Report
from .fields import Fields, is_null
from .models import Proposal, Prospectus

ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# What `propgen new proposal` writes as examples (scaffold.py fills its template from these),
# so a proposal that still holds them is caught before a client sees it.
EXAMPLE_NEED = "What the client told you they need"
EXAMPLE_LINE = ("Planning and on-site team", "1000")  # item and price
EXAMPLE_EMAIL = "hello@example.com"  # the starter site's address, and the template's fallback
# What `propgen new sponsorship` writes as examples: the prospectus's summary, and its one
# prospect's name and note, which the sponsor's page would greet them with.
EXAMPLE_SUMMARY = "One line on why sponsors should be there."
EXAMPLE_PROSPECT = ("The sponsor's organisation", "Why this audience suits them, in one sentence.")  # name and note


def read_password_env(f: Fields, config: Config) -> str:
    """The name of the variable holding the proposal's password. Its value is never shown:
    a coordinator who writes the password itself here must not see it echoed into CI logs."""
    if "password_env" not in f.values:
        return ""
    node = f.node_of("password_env")
    name = f.text("password_env", example="CLIENT_PROPOSAL_PASSWORD")
    if not name:
        if name is not None or is_null(node):  # `password_env:` would silently publish the proposal unprotected
            f.error(
                node if not is_null(node) else f.values["password_env"][0],
                "'password_env' is empty, so this proposal would be published without a password",
                "name the environment variable that holds its password, e.g.  password_env: CLIENT_PROPOSAL_PASSWORD,  or remove the line",
            )
        return ""
    if not ENV_NAME_RE.match(name):
        f.error(
            node,
            "'password_env' should be the name of an environment variable (letters, digits and _), not the password itself",
            "put the password in a variable and write its name here, e.g.  password_env: CLIENT_PROPOSAL_PASSWORD",
        )
        return ""
    if name == config.proposals.secret_env:
        f.error(
            node,
            f"'password_env' names {name}, the variable that holds the secret of every proposal link",
            "give this proposal a password variable of its own, e.g.  password_env: CLIENT_PROPOSAL_PASSWORD",
        )
        return ""
    return name


def warn_shared_passwords(proposals: list[Proposal], report: Report) -> None:
    """One password variable for two proposals lets each client open the other's proposal."""
    first: dict[str, Proposal] = {}
    for proposal in proposals:
        if not proposal.password_env:
            continue
        earlier = first.setdefault(proposal.password_env, proposal)
        if earlier is not proposal:
            report.warning(
                proposal.password_at or Location(proposal.source),
                f"this proposal uses the same password variable {proposal.password_env} as {earlier.source},"
                " so either client can open both",
                "give each client its own password, or ignore this if one client gets both proposals",
            )


def warn_example_values(f: Fields) -> None:
    """Warn at each value `propgen new proposal` wrote as an example and nobody changed."""
    for node in _sequence(f.values.get("needs", (None, None))[1]):
        if _plain(node) == EXAMPLE_NEED:
            f.warning(
                node,
                f"this need is still the example from  propgen new proposal: '{EXAMPLE_NEED}'",
                "write what the client told you, or remove the line",
            )
    budget = _mapping(f.values.get("budget", (None, None))[1])
    for line in _sequence(budget.get("items")):
        fields = _mapping(line)
        price = fields.get("price")
        if (_plain(fields.get("item")), _plain(price)) == EXAMPLE_LINE and price is not None:
            f.warning(
                price,
                f"this price is still the example from  propgen new proposal: {EXAMPLE_LINE[1]} for '{EXAMPLE_LINE[0]}'",
                "write your price for this line, or replace the line",
            )
    _warn_example_accept(f, "client")


def warn_example_prospectus(f: Fields) -> None:
    """Warn at each value `propgen new sponsorship` wrote as an example and nobody changed."""
    told = "still the example from  propgen new sponsorship"
    summary = f.values.get("summary", (None, None))[1]
    if _plain(summary) == EXAMPLE_SUMMARY and summary is not None:
        f.warning(summary, f"this summary is {told}: '{EXAMPLE_SUMMARY}'", "write why sponsors should be there, in one line")
    for prospect in _sequence(f.values.get("prospects", (None, None))[1]):
        fields = _mapping(prospect)
        name, note = fields.get("name"), fields.get("note")
        if _plain(name) == EXAMPLE_PROSPECT[0] and name is not None:
            f.warning(name, f"this prospect is {told}: '{EXAMPLE_PROSPECT[0]}'", "write the sponsor's name, as their page will greet them")
        if _plain(note) == EXAMPLE_PROSPECT[1] and note is not None:
            f.warning(
                note, f"this note is {told}: '{EXAMPLE_PROSPECT[1]}'", "write why this audience suits this sponsor, or remove the line"
            )
    _warn_example_accept(f, "sponsor")


def _warn_example_accept(f: Fields, who: str) -> None:
    email = _mapping(f.values.get("accept", (None, None))[1]).get("email")
    if _plain(email) == EXAMPLE_EMAIL and email is not None:
        f.warning(
            email,
            f"the {who}'s acceptance would go to the example address {EXAMPLE_EMAIL}",
            f"write the address where you want to receive the {who}'s yes",
        )


def _plain(node: yaml.Node | None) -> str | None:
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else None


def _sequence(node: yaml.Node | None) -> list[yaml.Node]:
    """A list field's items; a single value counts as a list of one, as `Fields.items` reads it."""
    if isinstance(node, yaml.ScalarNode):
        return [node]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def report_expired(proposals: tuple[Proposal, ...], today: dt.date, report: Report) -> None:
    """An expired proposal still builds (its link then says so), but the coordinator should
    hear it from propgen before a client does."""
    for proposal in proposals:
        if proposal.expired(today):
            report.warning(
                proposal.valid_until_at or Location(proposal.source),
                f"this proposal expired on {proposal.valid_until}; its page shows the expired notice",
                "to send it again, move valid_until later; to take its link down, delete the proposal",
                strict=False,  # the expired notice is the right page: a daily --strict build must still publish it
            )


def report_expired_prospects(prospectuses: tuple[Prospectus, ...], today: dt.date, report: Report) -> None:
    """The same reminder for a sponsorship prospect's page, at its valid_until."""
    for prospectus in prospectuses:
        if prospectus.expired(today):
            report.warning(
                prospectus.prospect.valid_until_at or Location(prospectus.source),
                f"the prospectus for {prospectus.prospect.name} expired on {prospectus.valid_until}; its page shows the expired notice",
                "to send it again, move valid_until later; to take its link down, remove the prospect",
                strict=False,  # as for proposals: the expired notice is the right page
            )
