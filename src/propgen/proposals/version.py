"""A proposal's version: the first 12 hex digits of SHA-256 over its canonical content, so
an acceptance names exactly what the client saw. Canonical: every field the page shows, as
sorted JSON with numbers as exact decimal text; where the file is, which password variable
protects it and what replaces it later are not content and leave the version alone."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from ..models import Proposal

NOT_CONTENT = {"source", "valid_until_at", "password_env", "password_at", "supersedes_at", "superseded_by", "version", "locale_at"}


def proposal_version(proposal: Proposal) -> str:
    content = {k: v for k, v in dataclasses.asdict(proposal).items() if k not in NOT_CONTENT}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _plain(value: Any) -> str:
    return str(value)  # Decimal as written (never float), dates as YYYY-MM-DD
