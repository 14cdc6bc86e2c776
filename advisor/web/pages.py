"""Pages: the server-rendered ask page and guide pages (jinja2), thin over the core; no JavaScript needed."""

from __future__ import annotations

import hashlib
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from advisor.answer.advisor import Advisor
from advisor.errors import InvalidRequestError, NotFoundError
from advisor.web.assets import WEB_DIR
from advisor.web.events import ANSWER_ID
from advisor.web.examples import examples_of
from advisor.web.excerpts import Excerpt, excerpt
from advisor.web.http.caching import keep_private
from advisor.web.page_events import go_url, landing_url, page_answer_id
from advisor.web.render import render_guide

TEMPLATES = WEB_DIR / "templates"
STATIC = WEB_DIR / "static"
NOT_PAGES = ("/api/", "/static/", "/docs-assets/", "/healthz", "/readyz", "/openapi.json")
PAGE_PATHS = ("/", "/go", "/feedback")  # HTML errors here, whatever the request accepts
ERROR_TITLES = {
    404: "Page not found",
    405: "Not allowed here",
    422: "Cannot read that request",
    429: "Too many requests",
    503: "Starting up",
}

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)


def web_files() -> list[Path]:
    """Templates and static files: they shape every page, so they are part of its ETag."""
    return sorted(p for p in WEB_DIR.rglob("*") if p.is_file())


@lru_cache(maxsize=1)
def asset_version() -> str:
    """Changes whenever a static file does, so `?v=` busts browser caches after an upgrade."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("guides", _guides(request))
    context.setdefault("active", "")
    chosen = [g for g in context["guides"] if g.id == context.get("guide")]
    context.setdefault("examples", examples_of(chosen or context["guides"]))
    context.setdefault("max_question_chars", request.app.state.settings.max_question_chars)
    return templates.TemplateResponse(
        request, name, {"asset_version": asset_version(), **context}, status_code=status
    )


def _guides(request: Request) -> tuple[Any, ...]:
    startup = request.app.state.startup
    return startup.require().guides if startup.ready else ()


def _advisor(request: Request) -> Advisor:
    advisor: Advisor = request.app.state.startup.require()
    return advisor


router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/")
def ask_page(
    request: Request, q: str | None = None, guide: str = "", a: str = "", voted: str = "", raw: str = ""
) -> Response:
    """The ask box; with `q`, the cited answer under it, recorded for the insights like an API ask.

    `a` and `voted` come from the vote form's redirect back: the answer id already recorded, and the
    rank of the result voted on, which shows a thanks note instead of its form. `raw=1` searches the
    words as typed, without spelling correction."""
    if q is None:
        return page(request, "ask.html", question="", guide=guide)
    if not q.strip():
        return page(request, "ask.html", question="", guide=guide, message="Type a question first.")
    advisor = _advisor(request)
    started = time.perf_counter()
    try:
        answer = advisor.ask(q, guide=guide or None, correct=raw != "1")
    except (InvalidRequestError, NotFoundError) as exc:
        message = _sentence(exc.message) + (" Please rephrase it and ask again." if exc.status == 422 else "")
        return page(request, "ask.html", exc.status, question=q, guide=guide, message=message)
    results = [excerpt(hit, advisor.guide(hit.section.guide)) for hit in answer.results]
    next_steps = [excerpt(hit, advisor.guide(hit.section.guide)) for hit in answer.next_steps]
    answer_id = page_answer_id(request, answer, guide=guide, started=started, shown=a)
    links = [
        go_url(answer_id, n, r, question=q, guide=guide) if answer_id else _landing(r, q, guide)
        for n, r in enumerate(results, start=1)
    ]
    response = page(
        request,
        "ask.html",
        question=q,
        guide=guide,
        answer=answer,
        results=results,
        links=links,
        next_steps=next_steps,
        next_links=[_landing(r, q, guide, answer_id or "") for r in next_steps],
        answer_id=answer_id,
        voted=int(voted) if answer_id and voted.isascii() and voted.isdigit() else 0,
    )
    if answer_id:
        keep_private(response, max_age=request.app.state.settings.cache_max_age)
    return response


def _landing(result: Excerpt, question: str, guide: str, answer_id: str = "") -> str:
    fragment = result.href.removeprefix(result.section.url)
    return landing_url(result.section, fragment, question=question, guide=guide, answer_id=answer_id)


@router.get("/guide/{guide}")
def guide_page(
    request: Request, guide: str, at: str = "", q: str = "", only: str = "", a: str = ""
) -> Response:
    """A whole guide, every heading an anchor, with its table of contents. Reached from an answer
    (landing_url), `at` is the section cited, marked in the contents, and `q`, `only` and `a` the way
    back to that answer."""
    rendered = render_guide(_advisor(request).guide(guide))
    current = at if any(s.anchor == at for s in rendered.guide.sections) else ""
    answer_id = a if re.fullmatch(ANSWER_ID, a) else ""
    back = ""
    if q.strip() and len(q) <= request.app.state.settings.max_question_chars:
        back = "/?" + urlencode({k: v for k, v in {"q": q, "guide": only, "a": answer_id}.items() if v})
    response = page(
        request, "guide.html", guide_page=rendered, title=rendered.guide.title, current=current, back=back
    )
    if answer_id:  # the way back carries the visitor's answer id: no shared cache may keep it
        keep_private(response, max_age=request.app.state.settings.cache_max_age)
    return response


@router.get("/docs")
def docs_page(request: Request) -> Response:
    """Swagger UI over /openapi.json, its files served from the fastapi-offline package (no CDN)."""
    return page(request, "docs.html", openapi_url=request.app.openapi_url)


def _sentence(message: str) -> str:
    """A core message ("the question is empty") as a sentence for a page."""
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def error_page(request: Request, status: int, message: str) -> Response | None:
    """The HTML error page for a request meant for a page; None for API and machine requests."""
    path = request.url.path
    is_page = path in PAGE_PATHS or path.startswith("/guide/")
    if path.startswith(NOT_PAGES) or not (is_page or "text/html" in request.headers.get("accept", "")):
        return None
    title = ERROR_TITLES.get(status, "Something went wrong")
    if status == 503:
        message = f"{_sentence(message)} Please try again in a few seconds."
    return page(request, "error.html", status, title=title, message=_sentence(message))


def mount(app: FastAPI) -> None:
    """Add the pages and their static files (/static) to the app."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs-assets", StaticFiles(packages=[("fastapi_offline", "static")]), name="docs-assets")
