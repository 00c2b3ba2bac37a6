"""Password protection of a private page: AES-256-GCM under a PBKDF2-SHA256 key.

The browser decrypts with WebCrypto (themes/default/static/unlock.js) using the same
parameters, which travel in the payload. Salt and IV are derived with HMAC from the site
secret (the salt per page, the IV per page *and* content): unpredictable without the
secret like random values, never reused for different content, and stable between
builds of the same input, so output stays byte-identical.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

ITERATIONS = 600_000


@dataclass(frozen=True)
class Payload:
    salt: bytes
    iv: bytes
    ciphertext: bytes
    iterations: int = ITERATIONS

    def to_json(self) -> str:
        b64 = base64.b64encode
        return json.dumps(
            {
                "v": 1,
                "kdf": "PBKDF2-SHA256",
                "iterations": self.iterations,
                "salt": b64(self.salt).decode(),
                "iv": b64(self.iv).decode(),
                "data": b64(self.ciphertext).decode(),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Payload:
        data = json.loads(text)
        b64 = base64.b64decode
        return cls(b64(data["salt"]), b64(data["iv"]), b64(data["data"]), int(data["iterations"]))


def derive_key(password: str, salt: bytes, iterations: int = ITERATIONS) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(password.encode("utf-8"))


def encrypt(plaintext: str, password: str, site_secret: str, page_id: str) -> Payload:
    salt = hmac.new(site_secret.encode(), f"salt:{page_id}".encode(), hashlib.sha256).digest()[:16]
    iv = hmac.new(site_secret.encode(), f"iv:{page_id}:".encode() + plaintext.encode(), hashlib.sha256).digest()[:12]
    key = derive_key(password, salt)
    return Payload(salt, iv, AESGCM(key).encrypt(iv, plaintext.encode("utf-8"), None))


def decrypt(payload: Payload, password: str) -> str:
    """The inverse, for tests and tools; raises cryptography's InvalidTag on a wrong password."""
    key = derive_key(password, payload.salt, payload.iterations)
    return AESGCM(key).decrypt(payload.iv, payload.ciphertext, None).decode("utf-8")
