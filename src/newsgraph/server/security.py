"""Request guards: bearer token, body size, trusted hosts, same-origin writes, security headers.

They are plain ASGI middleware so that they run before routing and before any
body is parsed: a request without the token, or with a body over the limit,
never reaches a handler or the store.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The UI is plain files from 'self'; nothing inline, nothing from elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Paths a browser loads before it can send a header: the UI shell, which holds no data.
PUBLIC_PREFIXES = ("/static/",)
PUBLIC_PATHS = frozenset({"/", "/index.html", "/favicon.ico"})


async def _send_json(send: Send, status: int, detail: str, extra: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


class SecurityHeadersMiddleware:
    """Adds the CSP and friends to every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in SECURITY_HEADERS if h[0] not in names),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenMiddleware:
    """Every request except the static UI shell must carry `Authorization: Bearer <token>`."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS" or _is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        auth = _header(scope, b"authorization") or ""
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token):
            await _send_json(send, 401, "missing or wrong bearer token", [(b"www-authenticate", b"Bearer")])
            return
        await self.app(scope, receive, send)


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class BodyLimitMiddleware:
    """Refuses bodies over `max_bytes`, by Content-Length and while streaming (chunked uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                await _send_json(send, 400, "bad Content-Length")
                return
            if too_big:
                await _send_json(send, 413, f"request body over {self.max_bytes} bytes")
                return
        seen = 0
        refused = False

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        async def counting_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Answer now and tell the app the client went away, so it stops reading.
                    await _send_json(send, 413, f"request body over {self.max_bytes} bytes")
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:
                raise


class TrustedHostMiddleware:
    """Refuses requests whose Host header is not one of ours: the defence against DNS rebinding.

    A page on evil.example that rebinds its name to 127.0.0.1 still sends
    `Host: evil.example`, so a loopback server that checks the header cannot be
    read or written from another site even without a token.
    """

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = (_header(scope, b"host") or "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in self.hosts:
            await _send_json(send, 421, "unexpected Host header")
            return
        await self.app(scope, receive, send)


class SameOriginWriteMiddleware:
    """Writes must be JSON and, when the browser says where they come from, from an allowed origin.

    JSON is not a 'simple' content type, so another site cannot send it without a
    CORS preflight, which fails unless its origin was allowed with --cors-origin.
    """

    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(o.rstrip("/") for o in allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        ctype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            await _send_json(send, 415, "writes take a JSON body (Content-Type: application/json)")
            return
        origin = _header(scope, b"origin")
        if origin is not None and not self._same_origin(scope, origin):
            await _send_json(send, 403, "cross-origin write refused")
            return
        await self.app(scope, receive, send)

    def _same_origin(self, scope: Scope, origin: str) -> bool:
        """The Origin names this server's own Host (any scheme, so a TLS proxy in front still works)."""
        if origin.rstrip("/") in self.allowed:
            return True
        host = (_header(scope, b"host") or "").lower()
        scheme, sep, rest = origin.rstrip("/").lower().partition("://")
        return bool(sep) and scheme in ("http", "https") and rest == host


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
