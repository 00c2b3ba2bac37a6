"""Secret links for private pages (proposals now, sponsorship prospectuses next).

A private page lives at `<base_url><prefix>/<slug>-<token>/`. The token is an HMAC-SHA256
of the slug under the site secret: unguessable without the secret, the same on every
build, different for every slug, and all of them change when the secret changes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from .errors import keep_secret

TOKEN_BYTES = 16  # 128 bits; the contract asks for at least 96


def token(secret: str, kind: str, slug: str) -> str:
    """URL-safe token for one private page; `kind` keeps proposal and prospectus tokens apart."""
    digest = hmac.new(secret.encode("utf-8"), f"{kind}:{slug}".encode(), hashlib.sha256).digest()
    made = base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode("ascii").rstrip("=")
    keep_secret(secret)  # no message may show the secret or a link made from it
    keep_secret(made)
    return made


def private_path(prefix: str, slug: str, secret: str, kind: str) -> str:
    return f"{prefix}/{slug}-{token(secret, kind, slug)}/"


def throwaway_secret() -> str:
    """For `propgen serve` without a configured secret: links valid for this run only."""
    return secrets.token_urlsafe(32)
