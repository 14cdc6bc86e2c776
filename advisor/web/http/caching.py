"""HTTP caching: an ETag from the index version on cacheable responses, and 304 when it still matches."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from importlib.metadata import version as package_version
from pathlib import Path

from fastapi import FastAPI, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# GET answers under these paths depend only on the index, the code and the settings: cacheable.
CACHEABLE_PREFIXES = ("/api/v1/", "/guide/")
CACHEABLE_PATHS = {"/"}


def make_etag(index_version: str, *, settings: Iterable[object], files: Iterable[Path] = ()) -> str:
    """`"<index version>-<hash>"`; the hash covers what else shapes a response: the advisor's
    version, the answer settings and the page templates, so any change gives a new tag."""
    digest = hashlib.sha256(json.dumps([package_version("advisor"), *map(str, settings)]).encode())
    for path in sorted(files):
        digest.update(path.read_bytes())
    return f'"{index_version}-{digest.hexdigest()[:8]}"'


def matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match uses weak comparison: W/ prefixes are ignored, `*` matches anything."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def cacheable(method: str, path: str) -> bool:
    return method in ("GET", "HEAD") and (path in CACHEABLE_PATHS or path.startswith(CACHEABLE_PREFIXES))


def cache_headers(etag: str, max_age: int) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}


def keep_private(response: Response, *, max_age: int) -> None:
    """Mark a response that carries a fresh answer id as the visitor's own: `private`, no ETag.

    The id ties later clicks and votes to the one ask that made it. A shared cache (a proxy, a CDN)
    must never hand it to another visitor, whose clicks would then count for someone else's ask and
    whose own ask would go unrecorded: hence `private`. The browser may still keep it (back and forward
    show the same answer, with the same id, without asking again). No ETag: revalidating would run
    the route, which records a new ask, and a 304 would keep the old copy, whose id belongs to an
    earlier ask, so the new ask could never be clicked.
    """
    response.headers["Cache-Control"] = f"private, max-age={max_age}"


class ConditionalGet:
    """ASGI middleware: Cache-Control and ETag on successful cacheable responses; 304 to a current
    If-None-Match. Plain ASGI (no response object is built, nothing is buffered): an answer pays
    for its validator in microseconds.

    The route runs first: only a request that would succeed may be answered 304 (RFC 9110 13.1.2).
    """

    def __init__(self, app: ASGIApp, *, etag: Callable[[], str | None], max_age: int) -> None:
        self.app = app
        self.etag = etag
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not cacheable(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        before = self.etag()
        asked = Headers(scope=scope).get("if-none-match", "")
        not_modified = False

        async def send_validated(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                tag = self.etag()
                # (a new index swapped in while this request was answered: which one answered is not
                # known here, so the response gets no validator rather than maybe the wrong one; and a
                # route that chose its own caching, keep_private, keeps it)
                if message["status"] != 200 or tag is None or tag != before or "cache-control" in headers:
                    await send(message)
                    return
                if matches(asked, tag):
                    not_modified = True
                    kept = [(k, v) for k, v in headers.raw if k not in (b"content-length", b"content-type")]
                    start = {"type": "http.response.start", "status": 304, "headers": kept}
                    MutableHeaders(scope=start).update(cache_headers(tag, self.max_age))
                    await send(start)
                    return
                headers.update(cache_headers(tag, self.max_age))
            elif not_modified:  # the body of a 304 is empty
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app(scope, receive, send_validated)


def install_caching(app: FastAPI, *, etag: Callable[[], str | None], max_age: int) -> None:
    """Validators and 304s for every cacheable route (see ConditionalGet)."""
    app.add_middleware(ConditionalGet, etag=etag, max_age=max_age)
