"""API: the FastAPI app, a thin layer that validates requests, calls the core and shapes responses."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import APIRouter, FastAPI, Query, Request

from advisor.answer import Advisor
from advisor.guards import BodyLimit, RateLimit, SecurityHeaders
from advisor.http_errors import install_error_handlers
from advisor.ratelimit import TokenBuckets
from advisor.reloader import IndexWatcher
from advisor.retrieve import MODES
from advisor.schemas import AnswerOut, ErrorOut, answer_out
from advisor.settings import Settings, get_settings

Mode = Literal[MODES]  # type: ignore[valid-type]
ERRORS = {code: {"model": ErrorOut} for code in (404, 413, 422, 429, 503)}
DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")  # FastAPI's docs pages run their own script


def current_advisor(request: Request) -> Advisor:
    advisor: Advisor = request.app.state.advisor
    return advisor


def api_router(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/api/v1", responses=ERRORS)  # type: ignore[arg-type]

    @router.get("/ask", response_model=AnswerOut, summary="Ask a question")
    def ask(
        request: Request,
        q: str = Query(..., description="The visitor's question.", max_length=10_000),
        k: int = Query(settings.default_k, ge=1, le=settings.max_k, description="Results wanted."),
        mode: Mode = Query("hybrid", description="Retrieval mode."),
        guide: str | None = Query(None, description="Only search this guide."),
    ) -> AnswerOut:
        """The guide passages that best answer the question, each cited to its section."""
        return answer_out(current_advisor(request).ask(q, k=k, mode=mode, guide=guide))

    return router


def start_serving(app: FastAPI, settings: Settings) -> IndexWatcher:
    """Load the advisor, then watch for new index builds (every few seconds and on SIGHUP)."""
    from advisor.runtime import open_advisor

    app.state.advisor = open_advisor(settings)
    watcher = IndexWatcher(
        settings.index_dir,
        load=lambda: open_advisor(settings, embedder=app.state.advisor.embedder),
        swap=lambda new: setattr(app.state, "advisor", new),
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

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)


def create_app(settings: Settings | None = None, *, advisor: Advisor | None = None) -> FastAPI:
    """The app; loads the advisor once at start-up unless one is given (tests do)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        watcher = None if advisor is not None else start_serving(app, settings)
        yield
        if watcher is not None:
            watcher.stop()

    app = FastAPI(title="Career Advisor", version="1", lifespan=lifespan)
    app.state.settings = settings
    app.state.advisor = advisor
    install_error_handlers(app)
    install_guards(app, settings)
    app.include_router(api_router(settings))

    @app.get("/healthz", include_in_schema=True, summary="Process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
