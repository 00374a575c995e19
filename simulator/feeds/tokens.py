"""Opaque, signed, expiring tokens (hotline page tokens, minsheng sync tokens).

The token text is a deterministic function of what it binds (so the same seed serves the same
bytes); a server that needs wall-clock expiry keeps the issue time beside it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

import orjson


class TokenError(ValueError):
    pass


class TokenSigner:
    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def issue(self, payload: object) -> str:
        body = orjson.dumps(payload)
        mac = hmac.new(self._key, body, hashlib.sha256).digest()[:9]
        return base64.b64encode(mac + body).decode("ascii")

    def read(self, token: str) -> object:
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as error:
            raise TokenError("malformed token") from error
        mac, body = raw[:9], raw[9:]
        if not hmac.compare_digest(mac, hmac.new(self._key, body, hashlib.sha256).digest()[:9]):
            raise TokenError("token signature does not match")
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise TokenError("malformed token") from error
