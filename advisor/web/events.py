"""Events API: `POST /api/v1/events` (a click or a vote on a result) and the hook recording each ask."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from advisor.answer.advisor import Answer
from advisor.errors import InvalidRequestError
from advisor.insights.recorder import Recorder
from advisor.settings import Settings
from advisor.web.http.ratelimit import TokenBuckets, retry_after
from advisor.web.schemas import ErrorOut

log = logging.getLogger("advisor.insights")

MAX_REASON_CHARS = 200
ANSWER_ID = r"^[A-Za-z0-9_-]{16}$"  # secrets.token_urlsafe(12)
SECTION = r"^[^/\s]{1,200}/[^/\s]{1,200}$"  # guide/anchor
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
STRICT = ConfigDict(extra="forbid", strict=True)  # "3" is not a rank, unknown fields are errors


class ClickIn(BaseModel):
    model_config = STRICT
    type: Literal["click"]
    answer_id: str = Field(pattern=ANSWER_ID, description="The `answer_id` of the answer clicked in.")
    rank: int = Field(ge=1, description="Position of the clicked result in `results` (1 = first).")
    section: str = Field(pattern=SECTION, description="`guide/anchor` of the clicked result.")


class FeedbackIn(BaseModel):
    model_config = STRICT
    type: Literal["feedback"]
    answer_id: str = Field(pattern=ANSWER_ID, description="The `answer_id` of the answer voted on.")
    section: str = Field(pattern=SECTION, description="`guide/anchor` of the result voted on.")
    vote: Literal["up", "down"] = Field(description="Did the result answer the question?")
    rank: int | None = Field(None, ge=1, description="Its position in `results` (1 = first), if known.")
    reason: str | None = Field(
        None, max_length=MAX_REASON_CHARS, pattern=NO_CONTROL, description="Optional: why, in a few words."
    )


EventIn = Annotated[ClickIn | FeedbackIn, Field(discriminator="type")]


class EventAccepted(BaseModel):
    recorded: bool = Field(
        description=(
            "True: queued for the insights (kept only if `answer_id` belongs to a recent ask). "
            "False: this site records no insights, the event was dropped."
        )
    )


def record_ask(request: Request, answer: Answer, *, guide: str | None, started: float) -> str | None:
    """Queue the ask for the insights; its answer id, or None when nothing is recorded. Never raises."""
    recorder: Recorder | None = getattr(request.app.state, "recorder", None)
    if recorder is None:
        return None
    try:
        latency_ms = (time.perf_counter() - started) * 1000
        return recorder.record_ask(answer, guide=guide, latency_ms=latency_ms)
    except Exception:  # the visitor gets the answer whatever happens to the insights
        log.exception("insights: could not record an ask")
        return None


def event_buckets(settings: Settings) -> TokenBuckets:
    """The per-client budget for events, shared by every way of sending one (API, ask page)."""
    return TokenBuckets(rate=settings.events_per_minute / 60, burst=settings.events_burst)


def events_router(settings: Settings, buckets: TokenBuckets) -> APIRouter:
    errors: dict[int | str, dict[str, Any]] = {c: {"model": ErrorOut} for c in (413, 422, 429)}
    router = APIRouter(prefix="/api/v1", responses=errors, route_class=limited_route(buckets))

    @router.post(
        "/events",
        status_code=202,
        response_model=EventAccepted,
        summary="Report a click or a vote",
    )
    def post_event(request: Request, event: EventIn = Body(...)) -> EventAccepted:
        """What a visitor did with an answer: clicked a result, or voted on one (with an optional reason).

        Tied to the ask only by the random `answer_id` the ask returned, accepted for
        `ADVISOR_INSIGHTS_EVENT_WINDOW_MINUTES` after it; rate-limited per client.
        """
        check_event(event, request, max_rank=settings.max_k)
        recorder: Recorder | None = request.app.state.recorder
        if recorder is None:
            return EventAccepted(recorded=False)
        if isinstance(event, ClickIn):
            recorder.record_event(event.answer_id, "click", event.section, rank=event.rank)
        else:
            recorder.record_event(
                event.answer_id,
                "feedback",
                event.section,
                rank=event.rank,
                vote=event.vote,
                reason=event.reason,
            )
        return EventAccepted(recorded=True)

    return router


def check_event(event: ClickIn | FeedbackIn, request: Request, *, max_rank: int) -> None:
    if event.rank is not None and event.rank > max_rank:
        message = f"rank must be between 1 and {max_rank}"
        raise InvalidRequestError(f"rank: {message}", details=[{"loc": ["body", "rank"], "message": message}])
    known = {p.key for p in request.app.state.startup.require().index.passages}
    if event.section not in known:
        message = f"unknown section {event.section!r}"
        raise InvalidRequestError(message, details=[{"loc": ["body", "section"], "message": message}])


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def limited_route(buckets: TokenBuckets) -> type[APIRoute]:
    """A route class with its own rate limit, stricter than the app-wide one: events are cheap to send.

    (Body size is capped for every route by advisor.web.http.guards.BodyLimit.)
    """

    class LimitedRoute(APIRoute):
        def get_route_handler(self) -> Handler:
            handler = super().get_route_handler()

            async def limited(request: Request) -> Response:
                wait = buckets.take(request.client.host if request.client else "unknown")
                if wait:
                    raise HTTPException(
                        429, "too many events; try again later", {"Retry-After": retry_after(wait)}
                    )
                return await handler(request)

            return limited

    return LimitedRoute
