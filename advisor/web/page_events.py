"""Page events: the ask page's clicks (GET /go) and votes (POST /feedback), recorded without JavaScript."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from advisor.answer.advisor import Advisor, Answer
from advisor.errors import InvalidRequestError
from advisor.guides.sections import Section
from advisor.insights.recorder import Recorder
from advisor.settings import Settings
from advisor.web.events import ANSWER_ID, SECTION, ClickIn, FeedbackIn, check_event, limited_route, record_ask
from advisor.web.excerpts import Excerpt, text_fragment
from advisor.web.http.ratelimit import TokenBuckets

MAX_FIELDS = 20  # the vote form has 7
MAX_SENTENCE_CHARS = 2000  # the sentence a result's link highlights (t=); sentences are far shorter
MAX_QUESTION_CHARS = 10_000  # the way back to the results; the same cap as GET /api/v1/ask's q
NO_STORE = {"Cache-Control": "no-store"}  # a redirect that records something is never replayed from a cache


def go_url(answer_id: str, rank: int, result: Excerpt, *, question: str = "", guide: str = "") -> str:
    """A result's link on the ask page: through /go, which records the click and redirects to the section
    (its guide page told the question and guide asked, for the way back)."""
    params: dict[str, str | int] = {"a": answer_id, "r": rank, "s": result.section.key}
    if result.fragment_text:
        params["t"] = result.fragment_text
    params |= {k: v for k, v in {"q": question, "guide": guide}.items() if v}
    return "/go?" + urlencode(params)


def landing_url(
    section: Section, fragment: str, *, question: str, guide: str = "", answer_id: str = ""
) -> str:
    """The guide page at a cited section, told which section it is (`at`) and the answer it was reached
    from (`q`, `only`, `a`): the part after # never reaches the server, and the page, which runs no
    JavaScript, marks that section in its contents and links back to the answer."""
    params = {"at": section.anchor, "q": question, "only": guide, "a": answer_id}
    page, _, anchor = section.url.partition("#")
    return f"{page}?{urlencode({k: v for k, v in params.items() if v})}#{anchor}{fragment}"


def page_answer_id(request: Request, answer: Answer, *, guide: str, started: float, shown: str) -> str | None:
    """The answer id of the page's links and forms; None when nothing is recorded.

    `shown` is the id the page was opened with after a vote (POST /feedback redirects back with it):
    that ask is recorded already, so it is reused rather than recorded twice. Otherwise the ask is
    recorded here, as GET /api/v1/ask records it."""
    if _recorder(request) is None:
        return None
    if re.fullmatch(ANSWER_ID, shown):
        return shown
    return record_ask(request, answer, guide=guide or None, started=started)


def _recorder(request: Request) -> Recorder | None:
    recorder: Recorder | None = request.app.state.recorder
    return recorder


def _advisor(request: Request) -> Advisor:
    advisor: Advisor = request.app.state.startup.require()
    return advisor


def page_events_router(settings: Settings, buckets: TokenBuckets) -> APIRouter:
    """GET /go and POST /feedback, sharing the events' per-client budget with POST /api/v1/events."""
    router = APIRouter(include_in_schema=False)
    voting = APIRouter(include_in_schema=False, route_class=limited_route(buckets))

    @router.get("/go")
    def go(
        request: Request,
        a: str = Query(..., pattern=ANSWER_ID),
        r: int = Query(..., ge=1, le=settings.max_k),
        s: str = Query(..., pattern=SECTION),
        t: str = Query("", max_length=MAX_SENTENCE_CHARS),
        q: str = Query("", max_length=MAX_QUESTION_CHARS),
        guide: str = Query("", max_length=200),
    ) -> Response:
        """A click on a result of the ask page: recorded, then a redirect to the cited section.

        Only ever to a section of the advisor's own guides: the location is built from the section
        the index holds, never from the request. Over the events' rate limit the visitor still goes
        to the section; the click is not recorded."""
        click = ClickIn(type="click", answer_id=a, rank=r, section=s)
        check_event(click, request, max_rank=settings.max_k)  # a section the index holds
        advisor = _advisor(request)
        guide_id, anchor = s.split("/")
        section = advisor.section(guide_id, anchor)
        recorder = _recorder(request)
        if recorder is not None and not buckets.take(_client(request)):
            recorder.record_event(a, "click", s, rank=r)
        # The highlighted sentence must be one of this section's: anything else is dropped.
        fragment = text_fragment(t, advisor.guide(guide_id)) if t and t in section.text else ""
        location = section.url + fragment
        if q:  # the way back to the answer, for the guide page
            location = landing_url(section, fragment, question=q, guide=guide, answer_id=a)
        return RedirectResponse(location, status_code=303, headers=NO_STORE)

    @voting.post("/feedback")
    async def feedback(request: Request) -> Response:
        """A vote on a result of the ask page (thumbs up or down, an optional reason), then back to
        the same results with a thanks note by the result voted on."""
        form = await _form(request)
        vote = _vote(form)
        check_event(vote, request, max_rank=settings.max_k)
        question, guide = _way_back(form)
        recorder = _recorder(request)
        if recorder is None:  # recording was switched off since the page was shown
            return RedirectResponse(_results_url(question, guide), 303, NO_STORE)
        recorder.record_event(
            vote.answer_id, "feedback", vote.section, rank=vote.rank, vote=vote.vote, reason=vote.reason
        )
        back = _results_url(question, guide, a=vote.answer_id, voted=vote.rank) + "#thanks"
        return RedirectResponse(back, 303, NO_STORE)

    router.include_router(voting)
    return router


def _results_url(question: str, guide: str, **more: str | int | None) -> str:
    """The ask page's results for the question: always this site's own "/", whatever was posted."""
    params = {"q": question, "guide": guide, **more}
    return "/?" + urlencode({k: v for k, v in params.items() if v})


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _form(request: Request) -> dict[str, str]:
    """The posted form's fields (the last value of each). Only the browser's default encoding is read."""
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise InvalidRequestError("send the form as application/x-www-form-urlencoded")
    try:
        pairs = parse_qsl(
            (await request.body()).decode("latin-1"),  # browsers percent-encode: the body is ASCII
            keep_blank_values=True,
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except ValueError as exc:  # too many fields, or percent-encoded bytes that are not UTF-8
        raise InvalidRequestError(f"the form could not be read: {exc}") from exc
    return dict(pairs)


def _vote(form: dict[str, str]) -> FeedbackIn:
    """The form as the events API's feedback event, validated by the same model."""
    rank: Any = form.get("r", "")
    event = {
        "type": "feedback",
        "answer_id": form.get("a"),
        "section": form.get("s"),
        "vote": form.get("vote"),
        "rank": int(rank) if rank.isascii() and rank.isdigit() else rank,
        "reason": " ".join(form.get("reason", "").split()) or None,
    }
    try:
        return FeedbackIn.model_validate(event)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("form", *e["loc"])} for e in exc.errors()]) from exc


def _way_back(form: dict[str, str]) -> tuple[str, str]:
    """The question and guide of the results page voted on, for the redirect back to it."""
    question, guide = form.get("q", ""), form.get("guide", "")
    if not question.strip() or len(question) > MAX_QUESTION_CHARS or len(guide) > 200:
        raise InvalidRequestError("the form lost its question; ask again")
    return question, guide
