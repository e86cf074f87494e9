"""Throttling of the API per token (a module of its own: DRF imports it while building its view classes)."""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per API token (per session user for the browsable API, per address when anonymous)."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, Token):
            ident = "t" + hashlib.sha256(request.auth.key.encode()).hexdigest()[:32]
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            ident = f"a{self.get_ident(request) or 'unknown'}"  # no REMOTE_ADDR behind some servers
        return self.cache_format % {"scope": self.scope, "ident": ident}
