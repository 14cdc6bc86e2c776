"""Admin: the site owner's insights page, /admin/insights, behind the admin token.

The page exists only when ADVISOR_ADMIN_TOKEN is set (otherwise every /admin path is a 404). The
token travels in the Authorization header: `Bearer <token>` for scripts, or HTTP Basic (any user
name, the token as password) so that a browser asks for it itself: no cookie, no login form, no
script. Tokens are compared in constant time.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from pydantic import SecretStr
from starlette.exceptions import HTTPException

from advisor.insights.report import Report, report
from advisor.insights.store import Store
from advisor.runtime import open_store
from advisor.settings import Settings
from advisor.web.assets import WEB_DIR
from advisor.web.charts import Series, bar_chart

CHALLENGE = {"WWW-Authenticate": 'Basic realm="Career Advisor insights", charset="UTF-8"'}
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
Days = Query(30, ge=1, le=3650, description="How many days back to look.")


def presented_token(authorization: str) -> str | None:
    """The token in an Authorization header, `Bearer <token>` or `Basic base64(user:token)`."""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def require_token(token: SecretStr) -> Callable[[Request], None]:
    expected = token.get_secret_value().encode()

    def check(request: Request) -> None:
        given = presented_token(request.headers.get("authorization", ""))
        if given is None:
            raise HTTPException(401, "the insights need the admin token", CHALLENGE)
        if not hmac.compare_digest(given.encode(), expected):
            raise HTTPException(401, "wrong admin token", CHALLENGE)  # 401: the browser asks again

    return check


def admin_router(settings: Settings) -> APIRouter:
    """The admin routes; none at all (so a 404) when no token is set."""
    router = APIRouter(prefix="/admin", include_in_schema=False)
    token = settings.admin_token
    if token is None or not token.get_secret_value().strip():
        return router
    store = functools.cache(lambda: open_store(settings))
    templates = Jinja2Templates(directory=WEB_DIR / "templates")
    guarded = [Depends(require_token(token))]

    @router.get("/insights", response_class=HTMLResponse, dependencies=guarded)
    def insights_page(request: Request, days: int = Days) -> HTMLResponse:
        found = read_report(request, store, days)
        context = {"report": found, "charts": charts(found), "days": days, "choices": (7, 30, 90, 365)}
        page = templates.TemplateResponse(request, "admin_insights.html", context)
        page.headers.update(PAGE_HEADERS)
        return page

    @router.get("/insights.json", dependencies=guarded)
    def insights_json(request: Request, days: int = Days) -> JSONResponse:
        return JSONResponse(
            read_report(request, store, days).to_dict(), headers={"Cache-Control": "no-store"}
        )

    @router.get("/insights.css")
    def insights_css() -> FileResponse:
        return FileResponse(WEB_DIR / "static" / "admin.css", media_type="text/css")

    return router


def read_report(request: Request, store: Callable[[], Store], days: int) -> Report:
    reader = store()
    reader.create()  # a site with no asks yet gets an empty report, not an error
    sections = [p.key for p in request.app.state.startup.require().index.passages]
    return report(reader, days=days, now=int(time.time()), sections=sections)


def charts(found: Report) -> dict[str, Any]:
    days = [d.day[5:] for d in found.daily]  # MM-DD
    ranks = [str(r.rank) for r in found.click_through]
    return {
        "daily": bar_chart(
            days,
            [
                Series("answered", [d.answered for d in found.daily], "bar-answered"),
                Series("no good answer", [d.asks - d.answered for d in found.daily], "bar-unanswered"),
            ],
            title="Questions per day",
            description="Questions asked each day, split into answered and not answered.",
        ),
        "click_through": bar_chart(
            ranks,
            [Series("clicked", [r.rate for r in found.click_through], "bar-clicked")],
            title="Click-through by rank",
            description="Share of answers whose result at each rank was clicked.",
            fmt=lambda v: f"{v:.0%}",
            top=1.0,
        ),
    }
