"""Password protection of a private page: AES-256-GCM under a PBKDF2-SHA256 key.

The browser decrypts with WebCrypto (themes/default/static/unlock.js) using the same
parameters, which travel in the payload. Nothing is random, so the same input gives a
byte-identical page on every build, and nothing lets anyone test a guess without the
password:

- the salt is an HMAC of the page under the site secret (unique per page);
- the IV is an HMAC of the padded content under a key derived from the password's key (a
  synthetic IV: unique per content, never reused with one key, and unknown to whoever
  holds only the link secret, who therefore cannot confirm guesses about the content);
- the content is padded with spaces (JSON ignores them) to a multiple of 1 KiB, so the
  size of the page does not tell that one more budget line was added.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a page is protected: a site without passwords starts 14 ms sooner
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-SHA256; never lower
PAD_TO = 1024
FORMAT = 2  # 1: IV from the site secret, no padding


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
                "v": FORMAT,
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


@functools.lru_cache(maxsize=256)
def derive_key(password: str, salt: bytes, iterations: int = ITERATIONS) -> bytes:
    """The page's key: a tenth of a second of PBKDF2 on purpose. Remembered by the process
    (never written anywhere), so `propgen serve` derives each protected page's key once, not
    at every save, and checking a build's links decrypts with the key it encrypted with."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(password.encode("utf-8"))


def _cipher(key: bytes) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def encrypt(plaintext: str, password: str, site_secret: str, page_id: str) -> Payload:
    salt = hmac.new(site_secret.encode(), f"salt:{page_id}".encode(), hashlib.sha256).digest()[:16]
    key = derive_key(password, salt)
    data = pad(plaintext.encode("utf-8"))
    iv_key = hmac.new(key, b"propgen iv", hashlib.sha256).digest()
    iv = hmac.new(iv_key, page_id.encode() + b"\0" + data, hashlib.sha256).digest()[:12]
    return Payload(salt, iv, _cipher(key).encrypt(iv, data, None))


def pad(data: bytes) -> bytes:
    """Spaces up to the next multiple of PAD_TO: the JSON inside reads the same with them."""
    return data + b" " * (-len(data) % PAD_TO)


def decrypt(payload: Payload, password: str) -> str:
    """The inverse, for tests and tools; raises cryptography's InvalidTag on a wrong password."""
    key = derive_key(password, payload.salt, payload.iterations)
    return _cipher(key).decrypt(payload.iv, payload.ciphertext, None).decode("utf-8").rstrip(" ")
