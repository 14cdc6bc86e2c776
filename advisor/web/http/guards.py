"""Guards: ASGI middleware that protects every route: body size, rate limits, security headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from advisor.web.http.errors import error_response
from advisor.web.http.ratelimit import TokenBuckets, retry_after

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Paths that are cheap and public: never rate limited (health checks, static files, the widget script).
UNLIMITED = ("/healthz", "/readyz", "/static/", "/widget/", "/favicon")


class BodyLimit:
    """Refuses request bodies over `max_bytes` with 413: by Content-Length, or once read that far."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_bytes:
            return await self._refuse(scope, receive, send)
        body, more = b"", True  # small by construction: read it whole, then hand it on
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                return await self._refuse(scope, receive, send)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is larger than {self.max_bytes} bytes"
        await error_response(413, "too_large", message)(scope, receive, send)


class RateLimit:
    """429 with Retry-After, in the one error shape, once a client has used up its bucket."""

    def __init__(self, app: ASGIApp, *, buckets: TokenBuckets) -> None:
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNLIMITED):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.buckets.take(client)
        if wait == 0:
            return await self.app(scope, receive, send)
        response = error_response(429, "rate_limited", "too many requests; slow down", {"retry_after": wait})
        response.headers["Retry-After"] = retry_after(wait)
        await response(scope, receive, send)


class SecurityHeaders:
    """Adds a strict Content-Security-Policy and other safety headers to every response.

    Paths in `relaxed` (the API docs) may also use inline styles; no page may run inline script.
    """

    def __init__(self, app: ASGIApp, *, frame_ancestors: str, relaxed: tuple[str, ...] = ()) -> None:
        self.app = app
        self.strict = csp(frame_ancestors)
        self.relaxed_csp = csp(frame_ancestors, relaxed=True)
        self.relaxed_paths = relaxed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        policy = self.relaxed_csp if scope["path"] in self.relaxed_paths else self.strict

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in (
                    (b"content-security-policy", policy),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                ):
                    if name not in names:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def csp(frame_ancestors: str, *, relaxed: bool = False) -> bytes:
    """No inline script, nothing from other origins; `relaxed` allows the inline styles Swagger UI sets."""
    style = "'self' 'unsafe-inline'" if relaxed else "'self'"
    return (
        f"default-src 'self'; script-src 'self'; style-src {style}; img-src 'self' data:; "
        f"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors {frame_ancestors}"
    ).encode()
