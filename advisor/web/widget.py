"""Widget: the embeddable script (versioned, cached for a year), its /embed page, and the CORS allowlist."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from advisor.errors import NotFoundError
from advisor.settings import Settings
from advisor.web.assets import WEB_DIR

# The files served under /widget/: the widget itself and the /embed page's own script and styles.
ASSETS = ("advisor-widget.js", "embed.js", "embed.css")
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
VERSIONED = re.compile(r"(?P<stem>[\w-]+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.js|\.css)")
IMMUTABLE = "public, max-age=31536000, immutable"
# The unversioned URL may be pasted anywhere: revalidate often so a new release reaches visitors.
REVALIDATE = "public, max-age=300, stale-while-revalidate=86400"


@dataclass(frozen=True)
class Asset:
    """A static file held in memory with its content hash and a gzip copy."""

    name: str
    body: bytes
    gzipped: bytes
    digest: str
    media_type: str

    @property
    def versioned_name(self) -> str:
        stem, dot, suffix = self.name.rpartition(".")
        return f"{stem}.{self.digest}{dot}{suffix}"

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'


def load_asset(path: Path) -> Asset:
    body = path.read_bytes()
    return Asset(
        name=path.name,
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        digest=hashlib.sha256(body).hexdigest()[:12],
        media_type=MEDIA_TYPES[path.suffix],
    )


def cors_options(origins: Sequence[str]) -> dict[str, Any]:
    """CORSMiddleware options for an allowlist where `*` stands for one host label or a port.

    The widget GETs answers and POSTs its clicks and votes as JSON to /api/v1/events: a JSON body
    needs the content-type header, so the browser asks first (a preflight). Nothing more: no
    credentials and no other header, so no other site's script can present the admin token."""
    methods = {"allow_methods": ["GET", "POST"], "allow_headers": ["content-type"]}
    if "*" in origins:
        return {"allow_origins": ["*"], **methods, "max_age": 3600}
    exact = [o for o in origins if "*" not in o]
    patterns = [re.escape(o).replace(r"\*", "[a-z0-9-]+") for o in origins if "*" in o]
    return {
        "allow_origins": exact,
        "allow_origin_regex": "|".join(f"(?:{p})" for p in patterns) or None,
        **methods,
        "max_age": 3600,
    }


def accepts_gzip(request: Request) -> bool:
    for item in request.headers.get("accept-encoding", "").lower().split(","):
        name, _, params = item.strip().partition(";")
        if name == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def asset_response(request: Request, asset: Asset, cache_control: str) -> Response:
    headers = {
        "Cache-Control": cache_control,
        "ETag": asset.etag,
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
        # Public on purpose: any page may load the script, even with crossorigin/SRI or under COEP.
        "Access-Control-Allow-Origin": "*",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if asset.etag in request.headers.get("if-none-match", "") or request.headers.get("if-none-match") == "*":
        return Response(status_code=304, headers=headers)
    if accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def widget_router(settings: Settings) -> APIRouter:
    """GET /widget/{file}, /widget/{stem}.{hash}.{ext} and the /embed page."""
    assets = {name: load_asset(WEB_DIR / "static" / name) for name in ASSETS}
    templates = Jinja2Templates(directory=WEB_DIR / "templates")
    router = APIRouter(include_in_schema=False)

    @router.api_route("/widget/{filename}", methods=["GET", "HEAD"])
    def widget_file(request: Request, filename: str) -> Response:
        if filename in assets:
            return asset_response(request, assets[filename], REVALIDATE)
        match = VERSIONED.fullmatch(filename)
        asset = match and assets.get(match["stem"] + match["suffix"])
        if not match or asset is None:
            raise NotFoundError(f"no widget file {filename!r}")
        if match["digest"] == asset.digest:
            return asset_response(request, asset, IMMUTABLE)
        # An older release's URL, still pasted on some site: send it to the current one.
        current = request.url_for("widget_file", filename=asset.versioned_name)
        return RedirectResponse(str(current), status_code=302, headers={"Cache-Control": "no-cache"})

    @router.get("/embed", response_class=HTMLResponse)
    def embed(request: Request) -> HTMLResponse:
        advisor = request.app.state.startup.require()  # 503 while the advisor is still starting
        guides = [(g.id, g.title) for g in advisor.guides]
        base = str(request.base_url).rstrip("/")
        return templates.TemplateResponse(
            request,
            "embed.html",
            {
                "endpoint": base,
                "script_url": f"{base}/widget/{assets['advisor-widget.js'].versioned_name}",
                "asset": {name: f"/widget/{a.versioned_name}" for name, a in assets.items()},
                "guides": guides,
                "guide": guides[0][0] if guides else "",
                "origins": settings.cors_origins,
            },
        )

    return router
