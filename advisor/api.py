"""API: the FastAPI app, a thin layer that validates requests, calls the core and shapes responses."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import APIRouter, FastAPI, Query, Request

from advisor.admin import admin_router
from advisor.answer import Advisor
from advisor.events_api import events_router, record_ask
from advisor.http_errors import install_error_handlers
from advisor.retrieve import MODES
from advisor.schemas import AnswerOut, ErrorOut, answer_out
from advisor.settings import Settings, get_settings

Mode = Literal[MODES]  # type: ignore[valid-type]
ERRORS = {code: {"model": ErrorOut} for code in (404, 422, 503)}


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
        started = time.perf_counter()
        answer = current_advisor(request).ask(q, k=k, mode=mode, guide=guide)
        return answer_out(answer, answer_id=record_ask(request, answer, guide=guide, started=started))

    return router


def create_app(settings: Settings | None = None, *, advisor: Advisor | None = None) -> FastAPI:
    """The app; loads the advisor once at start-up unless one is given (tests do)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if advisor is None:
            from advisor.runtime import open_advisor

            app.state.advisor = open_advisor(settings)
        from advisor.runtime import open_recorder

        app.state.recorder = open_recorder(settings)  # None when recording is off
        yield
        if app.state.recorder is not None:
            app.state.recorder.stop()

    app = FastAPI(title="Career Advisor", version="1", lifespan=lifespan)
    app.state.settings = settings
    app.state.advisor = advisor
    app.state.recorder = None
    install_error_handlers(app)
    app.include_router(api_router(settings))
    app.include_router(events_router(settings))
    app.include_router(admin_router(settings))  # no routes unless ADVISOR_ADMIN_TOKEN is set

    @app.get("/healthz", include_in_schema=True, summary="Process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
