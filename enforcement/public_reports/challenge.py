"""The challenge an anonymous 12350 submission must answer (no outside service).

The server issues a small arithmetic question and a token signed with
``django.core.signing`` carrying the expected answer's hash, the issue time and a
random nonce; the answer is checked statelessly (no table, no cache). It works
without JavaScript: the question is plain text in the form. A token is valid for
``MAX_AGE`` seconds and not before ``MIN_AGE`` (a bot posting instantly fails).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.core import signing

SALT = "enforcement.public_reports.challenge"
MAX_AGE = 30 * 60
MIN_AGE = 2


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(answer: str, nonce: str) -> str:
    return hashlib.sha256(f"{nonce}:{answer.strip()}".encode()).hexdigest()


def issue() -> Challenge:
    a, b = secrets.randbelow(40) + 10, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    payload = {"n": nonce, "t": int(time.time()), "h": _digest(str(a + b), nonce)}
    token = signing.dumps(payload, salt=SALT, compress=True)
    return Challenge(question=f"{a} + {b} = ?", token=token)


def verify(token: str, answer: str, *, min_age: int = MIN_AGE) -> bool:
    """True when ``answer`` is the answer to the question of ``token``, which is
    unexpired and at least ``min_age`` seconds old."""
    if not isinstance(token, str) or not isinstance(answer, str) or len(token) > 500:
        return False
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    if not isinstance(data, dict) or not isinstance(data.get("t"), int):
        return False
    if time.time() - data["t"] < min_age:
        return False
    return secrets.compare_digest(str(data.get("h", "")),
                                  _digest(answer[:20], str(data.get("n", ""))))
