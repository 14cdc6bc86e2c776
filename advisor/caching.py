"""HTTP caching: an ETag from the index version on cacheable responses, and 304 when it still matches."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Iterable
from importlib.metadata import version as package_version
from pathlib import Path

from fastapi import FastAPI, Request, Response

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


def cacheable(request: Request) -> bool:
    path = request.url.path
    return request.method in ("GET", "HEAD") and (
        path in CACHEABLE_PATHS or path.startswith(CACHEABLE_PREFIXES)
    )


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


def install_caching(app: FastAPI, *, etag: Callable[[], str | None], max_age: int) -> None:
    """Add Cache-Control and ETag to successful cacheable responses; answer 304 to a current If-None-Match.

    The route runs first: only a request that would succeed may be answered 304 (RFC 9110 13.1.2).
    """

    @app.middleware("http")
    async def conditional_get(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not cacheable(request):
            return await call_next(request)
        before = etag()
        response = await call_next(request)
        tag = etag()
        if response.status_code != 200 or tag is None or tag != before:
            # (a new index swapped in while this request was answered: which one answered is not
            # known here, so the response gets no validator rather than maybe the wrong one)
            return response
        if "cache-control" in response.headers:
            return response  # a route that chose its own caching (keep_private) keeps it
        if matches(request.headers.get("if-none-match", ""), tag):
            return Response(status_code=304, headers=cache_headers(tag, max_age))
        response.headers.update(cache_headers(tag, max_age))
        return response
