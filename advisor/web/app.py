"""API: the FastAPI app, a thin layer that validates requests, calls the core and shapes responses."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from advisor.answer.advisor import Advisor
from advisor.settings import Settings, get_settings
from advisor.web import pages
from advisor.web.admin import admin_router
from advisor.web.events import event_buckets, events_router, record_ask
from advisor.web.http.caching import install_caching, keep_private, make_etag
from advisor.web.http.errors import install_error_handlers
from advisor.web.http.guards import BodyLimit, RateLimit, SecurityHeaders
from advisor.web.http.params import known_parameters, utf8_query
from advisor.web.http.ratelimit import TokenBuckets
from advisor.web.page_events import page_events_router
from advisor.web.reloader import IndexWatcher
from advisor.web.schemas import (
    RAW,
    AnswerOut,
    AskIn,
    ErrorOut,
    GuidesOut,
    HealthOut,
    IndexInfo,
    Mode,
    ReadyOut,
    SectionOut,
    TocOut,
    answer_out,
    ask_in,
    guide_out,
    question_limits,
    section_out,
    toc_out,
)
from advisor.web.startup import Startup
from advisor.web.widget import cors_options, widget_router


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "The body cannot be read as JSON (not UTF-8, or nested too deeply)",
        404: "Unknown guide or section",
        413: "Request body too large",
        422: "Invalid request",
        429: "Too many requests (see Retry-After)",
        503: "Not ready yet",
    }
    return {code: {"model": ErrorOut, "description": described[code]} for code in codes}


DESCRIPTION = (
    "Cited answers to career questions, quoted word for word from career guides. Every error has one "
    'shape: `{"error": {"code", "message", "details"}}`. Successful GET responses carry an `ETag` '
    "(from the index version) and `Cache-Control`; send `If-None-Match` to get a 304 while it is current. "
    "An answer that carries an `answer_id` (the site records insights) is `Cache-Control: private` "
    "without an ETag: its id belongs to one ask, so no shared cache may hand it to someone else."
)
DOCS_PATHS = ("/docs",)  # Swagger UI sets inline styles; it gets a CSP that allows them
ANSWER_SETTINGS = ("default_k", "max_k", "max_question_chars", "candidates", "rrf_k")  # shape answers
CACHED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the copy with the ETag sent in If-None-Match is current."}
}


def current_advisor(request: Request) -> Advisor:
    """The loaded advisor, or NotReadyError (503) while it is still starting."""
    startup: Startup = request.app.state.startup
    return startup.require()


def api_router(settings: Settings) -> APIRouter:
    router = APIRouter(
        prefix="/api/v1", responses=_errors(422, 429, 503), dependencies=[Depends(known_parameters)]
    )

    @router.get(
        "/ask", response_model=AnswerOut, summary="Ask a question", responses={**CACHED, **_errors(404)}
    )
    def ask(
        request: Request,
        response: Response,
        q: str = Query(..., **question_limits(settings.max_question_chars)),
        k: int = Query(settings.default_k, ge=1, le=settings.max_k, description="Results wanted."),
        mode: Mode = Query("hybrid", description="Retrieval mode."),
        guide: str | None = Query(None, description="Only search this guide."),
        raw: bool = Query(False, description=RAW),
    ) -> AnswerOut:
        """The guide passages that best answer the question, each cited to its section."""
        started = time.perf_counter()
        advisor = current_advisor(request)
        answer = advisor.ask(q, k=k, mode=mode, guide=guide, correct=not raw)
        answer_id = record_ask(request, answer, guide=guide, started=started)
        if answer_id:
            keep_private(response, max_age=settings.cache_max_age)
        return answer_out(answer, answer_id=answer_id, guides=advisor.guides)

    def ask_post(request: Request, body: AskIn = Body(...)) -> AnswerOut:
        """The same answer as `GET /ask`, for a question sent as JSON."""
        started = time.perf_counter()
        advisor = current_advisor(request)
        answer = advisor.ask(body.question, k=body.k, mode=body.mode, guide=body.guide, correct=not body.raw)
        answer_id = record_ask(request, answer, guide=body.guide, started=started)
        return answer_out(answer, answer_id=answer_id, guides=advisor.guides)

    # The body model with this server's limits, so that its schema (and validation) say them.
    ask_post.__annotations__["body"] = ask_in(
        max_k=settings.max_k, max_question_chars=settings.max_question_chars
    )
    router.post(
        "/ask",
        response_model=AnswerOut,
        summary="Ask a question (JSON body)",
        responses=_errors(400, 404, 413),
    )(ask_post)

    @router.get("/guides", response_model=GuidesOut, summary="List the guides", responses=CACHED)
    def guides(request: Request) -> GuidesOut:
        """Every guide the advisor answers from: id, title, number of sections and page url."""
        return GuidesOut(guides=[guide_out(g) for g in current_advisor(request).guides])

    @router.get(
        "/guides/{guide}/sections",
        response_model=TocOut,
        summary="A guide's table of contents",
        responses={**CACHED, **_errors(404)},
    )
    def sections(request: Request, guide: str) -> TocOut:
        """Every section (heading) of a guide in order: anchor, heading, level, breadcrumb, position; and
        the ordered groups the advisor found in it (or its front matter declares)."""
        advisor = current_advisor(request)
        return toc_out(advisor.guide(guide), advisor.roadmap.groups.get(guide, []))

    @router.get(
        "/guides/{guide}/sections/{anchor}",
        response_model=SectionOut,
        summary="One section",
        responses={**CACHED, **_errors(404)},
    )
    def section(request: Request, guide: str, anchor: str) -> SectionOut:
        """One section's full text, with the sections before and after it in the guide."""
        advisor = current_advisor(request)
        return section_out(advisor.guide(guide), advisor.section(guide, anchor))

    return router


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    # async: answered on the event loop, never queued behind answers waiting for a worker thread
    @router.get("/healthz", response_model=HealthOut, summary="Process is up")
    async def healthz() -> HealthOut:
        """200 as long as the process answers, even while it is still starting."""
        return HealthOut(status="ok")

    @router.get("/readyz", response_model=ReadyOut, summary="Ready to answer", responses=_errors(503))
    async def readyz(request: Request) -> ReadyOut:
        """200 once the index is loaded and the model has encoded its first text; 503 until then."""
        index = current_advisor(request).index
        return ReadyOut(status="ready", index=IndexInfo(version=index.version, model=index.manifest.model))

    return router


def start_serving(startup: Startup, settings: Settings) -> IndexWatcher:
    """Load the advisor in the background, then watch for new index builds (polling and SIGHUP).

    A server started before any index exists becomes ready as soon as one is built.
    """
    from advisor.runtime import open_advisor

    startup.load_in_background(lambda: open_advisor(settings))
    watcher = IndexWatcher(
        settings.index_dir,
        load=lambda: open_advisor(settings, embedder=startup.embedder()),
        swap=startup.warm,
        interval=settings.reload_interval,
    )
    watcher.start()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # no signals off the main thread
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGHUP, lambda: threading.Thread(target=watcher.check, daemon=True).start()
        )
    return watcher


def install_guards(app: FastAPI, settings: Settings) -> None:
    """Middleware, innermost first: body size, rate limit, security headers, trusted proxy headers."""
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    buckets = TokenBuckets(rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst)
    app.add_middleware(RateLimit, buckets=buckets)
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors, relaxed=DOCS_PATHS)
    if settings.trusted_proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))


def create_app(settings: Settings | None = None, *, advisor: Advisor | None = None) -> FastAPI:
    """The app. It loads and warms the advisor in the background at start-up unless one is given
    (tests do), so /healthz answers at once and /readyz says 503 until the advisor is ready."""
    settings = settings or get_settings()
    startup = Startup()
    if advisor is not None:
        startup.warm(advisor)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from advisor.runtime import open_recorder

        app.state.recorder = open_recorder(settings)  # None when recording is off
        # Answers run on anyio's worker threads (40 by default): bound them, so a burst queues
        # instead of every thread holding its own model buffers at once.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        watcher = None if startup.ready else start_serving(startup, settings)
        if settings.workers > 1:
            # Workers share one listening socket: one still loading would take connections and
            # answer 503, so each starts accepting only once its load has ended (ready or failed,
            # which /readyz then says). A single server answers /healthz and /readyz meanwhile.
            await anyio.to_thread.run_sync(startup.wait_loaded)
        yield
        if watcher is not None:
            watcher.stop()
        if app.state.recorder is not None:
            app.state.recorder.stop()

    app = FastAPI(
        title="Career Advisor",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # pages.py serves /docs without a CDN
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        dependencies=[Depends(utf8_query)],
    )
    app.state.settings = settings
    app.state.startup = startup
    app.state.recorder = None
    install_error_handlers(app, html=pages.error_page)
    install_guards(app, settings)
    app.add_middleware(CORSMiddleware, **cors_options(settings.cors_origins))  # outermost: 429s get CORS too
    install_caching(app, etag=etag_of(startup, settings), max_age=settings.cache_max_age)
    app.include_router(api_router(settings))
    app.include_router(health_router())
    app.include_router(widget_router(settings))
    events = event_buckets(settings)  # one budget per client, however it sends its events
    app.include_router(events_router(settings, events))
    app.include_router(page_events_router(settings, events))
    app.include_router(admin_router(settings))  # no routes unless ADVISOR_ADMIN_TOKEN is set
    pages.mount(app)
    return app


def etag_of(startup: Startup, settings: Settings) -> Callable[[], str | None]:
    """The ETag of cacheable responses once the advisor is ready (computed once per index version)."""
    tags: dict[str, str] = {}

    def etag() -> str | None:
        if not startup.ready:
            return None
        version = startup.require().index.version
        if version not in tags:
            answer_settings = [getattr(settings, name) for name in ANSWER_SETTINGS]
            tags[version] = make_etag(version, settings=answer_settings, files=pages.web_files())
        return tags[version]

    return etag
