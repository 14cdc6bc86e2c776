"""The ask page's clicks and votes without JavaScript: /go (record, then redirect to the section),
/feedback (record the vote, then back to the results with thanks), and what reaches the insights."""

import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.insights.report import Report, report
from advisor.settings import Settings
from advisor.web.app import create_app

QUESTION = "how to boil pasta"
HTML = {"accept": "text/html"}


@pytest.fixture
def client(tiny_advisor: Advisor) -> Iterator[TestClient]:
    settings = Settings(events_burst=1000)
    with TestClient(create_app(settings, advisor=tiny_advisor), raise_server_exceptions=False) as c:
        yield c


class Results(HTMLParser):
    """The ask page's results: each one's link, and its vote form's fields, labels and buttons."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._text: list[str] | None = None
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "h3":
            self._in_title = attr.get("class") == "hit-title"
        if tag == "a" and self._in_title:
            self.links.append(attr["href"])
        if tag == "form" and attr.get("action") == "/feedback":
            self.forms.append({"form": attr, "fields": {}, "labels": {}, "buttons": [], "legend": ""})
        if not self.forms or tag not in ("input", "label", "button", "legend"):
            return
        form = self.forms[-1]
        if tag == "input" and attr.get("type") == "hidden":
            form["fields"][attr["name"]] = attr["value"]
        elif tag == "input":
            form["input"] = attr
        else:
            self._text, self._attr, self._tag = [], attr, tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._in_title = False
        if self._text is None or tag != self._tag:
            return
        text, form = " ".join("".join(self._text).split()), self.forms[-1]
        if tag == "label":
            form["labels"][self._attr.get("for")] = text
        elif tag == "legend":
            form["legend"] = text
        else:
            form["buttons"].append({**self._attr, "text": text})
        self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def ask(client: TestClient, question: str = QUESTION, **params: str) -> Results:
    res = client.get("/", params={"q": question, **params})
    assert res.status_code == 200
    return Results(res.text)


def insights(client: TestClient) -> Report:
    recorder = client.app.state.recorder  # type: ignore[attr-defined]
    assert recorder.flush()
    return report(recorder.store, days=1, now=int(time.time()) + 60)


def go(client: TestClient, link: str) -> str:
    """Where a click lands, without the query that tells the guide page the way back to the answer."""
    res = client.get(link, follow_redirects=False)
    assert res.status_code == 303 and res.headers["cache-control"] == "no-store"
    return re.sub(r"\?[^#]*", "", res.headers["location"], count=1)


def test_a_click_on_a_result_is_recorded_and_lands_on_its_section(client: TestClient) -> None:
    page = ask(client)
    assert len(page.links) >= 2 and all(link.startswith("/go?") for link in page.links)
    params = parse_qs(urlsplit(page.links[1]).query)
    assert params["r"] == ["2"] and re.fullmatch(r"[A-Za-z0-9_-]{16}", params["a"][0])
    location = go(client, page.links[1])
    assert location.startswith(f"/guide/{params['s'][0].replace('/', '#', 1)}")
    if "t" in params:  # the sentence the page's link highlights, as a text fragment
        assert unquote(location.split(":~:text=")[1]) == params["t"][0].strip()
    first = go(client, page.links[0])
    assert first.startswith("/guide/cooking#step-2-boiling-pasta:~:text=Bring%20salted%20water")

    found = insights(client)
    assert found.totals.asks == 1 and found.totals.clicks == 2
    assert [q.question for q in found.top_questions] == [QUESTION]
    assert [(r.rank, r.clicked) for r in found.click_through[:3]] == [(1, 1), (2, 1), (3, 0)]


def test_the_ask_is_recorded_like_an_api_ask(client: TestClient) -> None:
    client.get("/api/v1/ask", params={"q": "how to boil pasta"})
    ask(client, "How to boil pasta?")
    ask(client, "pasta for jo@example.org")
    found = insights(client)
    assert found.totals.asks == 3 and found.totals.latency_p50_ms is not None
    asked = [(q.question.casefold().rstrip("?"), q.asks) for q in found.top_questions]
    assert asked == [
        ("how to boil pasta", 2),  # the page's ask and the API's are one question
        ("pasta for <email>", 1),  # scrubbed, like any ask
    ]


def test_a_vote_is_recorded_and_the_page_comes_back_with_thanks(client: TestClient) -> None:
    page = ask(client)
    form = [f for f in page.forms if f["form"].get("class") == "vote-row"][1]  # the second result's
    body = {**form["fields"], "vote": "down", "reason": "  too short,\n call 555 123 4567  "}
    res = client.post("/feedback", data=body, follow_redirects=False)
    assert res.status_code == 303 and res.headers["cache-control"] == "no-store"
    location = res.headers["location"]
    assert location.startswith("/?") and location.endswith("#thanks")
    back = parse_qs(urlsplit(location).query)
    assert back["q"] == [QUESTION] and back["voted"] == ["2"] and back["a"] == [form["fields"]["a"]]

    shown = client.get(location)
    assert shown.status_code == 200 and shown.headers["cache-control"].startswith("private")
    again = Results(shown.text)
    assert 'id="thanks"' in shown.text and "Thanks for your feedback" in shown.text
    assert len(again.forms) == len(page.forms) - 2  # the result voted on shows the note instead of its two
    assert {f["fields"]["a"] for f in again.forms} == {form["fields"]["a"]}  # the same ask, not a new one
    assert again.links == page.links

    found = insights(client)
    assert found.totals.asks == 1 and found.totals.votes_down == 1
    (vote,) = found.feedback
    assert (vote.question, vote.section, vote.vote) == (QUESTION, form["fields"]["s"], "down")
    assert vote.reason == "too short, call <phone>"


def test_each_vote_form_is_labelled_and_its_buttons_say_what_they_do(client: TestClient) -> None:
    # One compact control a result: a Yes/No form named after the section, and a "why not?" form of its
    # own, so that Enter in the reason sends it (as a "no" with that reason).
    page = ask(client)
    assert page.forms and len(page.forms) == 2 * len(page.links)
    ids = []
    for votes, why in zip(page.forms[::2], page.forms[1::2], strict=True):
        assert votes["form"]["method"] == why["form"]["method"] == "post"
        assert re.fullmatch(r"Did “.+” answer your question\?", votes["form"]["aria-label"])
        assert [(b["name"], b["value"], b["text"]) for b in votes["buttons"]] == [
            ("vote", "up", "Yes"),
            ("vote", "down", "No"),
        ]
        reason = why["input"]
        assert reason["name"] == "reason" and reason["maxlength"] == "200"
        assert why["labels"][reason["id"]].startswith("What was missing?")
        assert [(b["name"], b["value"], b["text"]) for b in why["buttons"]] == [("vote", "down", "Send")]
        assert votes["fields"] == why["fields"]  # the same result
        ids.append(reason["id"])
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    "change",
    [
        {"vote": "sideways"},
        {"vote": ""},
        {"r": "0"},
        {"r": "21"},
        {"r": "two"},
        {"a": "not an answer id"},
        {"s": "cooking/no-such-section"},
        {"s": "https://evil.example/x"},
        {"reason": "x" * 201},
        {"reason": "bad\x00byte"},
        {"q": ""},
    ],
)
def test_a_bad_vote_is_refused_on_a_page(client: TestClient, change: dict[str, str]) -> None:
    body = {**ask(client).forms[0]["fields"], "vote": "up", **change}
    res = client.post("/feedback", data=body, headers=HTML, follow_redirects=False)
    assert res.status_code in (404, 422) and res.headers["content-type"].startswith("text/html")
    assert "location" not in res.headers
    assert insights(client).totals.votes_up == 0


def test_a_vote_sent_another_way_than_a_form_is_refused(client: TestClient) -> None:
    fields = {**ask(client).forms[0]["fields"], "vote": "up"}
    res = client.post("/feedback", json=fields)  # a page route: its errors are pages
    assert res.status_code == 422 and "application/x-www-form-urlencoded" in res.text
    form = {"content-type": "application/x-www-form-urlencoded"}
    res = client.post("/feedback", content=b"a=%ff%fe", headers=form)
    assert res.status_code == 422 and "could not be read" in res.text


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"s": "evil.example/x"}, 422),
        ({"s": "//evil.example/x"}, 422),
        ({"s": "https://evil.example"}, 422),
        ({"s": "cooking/../../etc"}, 422),
        ({"s": "cooking/step-2-boiling-pasta\r\nLocation: https://evil.example"}, 422),
        ({"s": "nowhere/step-2-boiling-pasta"}, 422),
        ({"a": "https://evil.example"}, 422),
        ({"r": "0"}, 422),
        ({"r": "99"}, 422),
        ({"r": "1e3"}, 422),
        ({"t": "x" * 2001}, 422),
        ({"a": None}, 422),
        ({"s": None}, 422),
    ],
)
def test_go_refuses_anything_but_a_known_section(
    client: TestClient, params: dict[str, str | None], status: int
) -> None:
    good = {"a": "A" * 16, "r": "1", "s": "cooking/step-2-boiling-pasta"}
    query = {k: v for k, v in {**good, **params}.items() if v is not None}
    res = client.get("/go", params=query, headers=HTML, follow_redirects=False)
    assert res.status_code == status and "location" not in res.headers
    assert res.headers["content-type"].startswith("text/html")  # a page, for a visitor's browser


@pytest.mark.parametrize(
    "sentence",
    [
        "//evil.example",
        "https://evil.example/#x",
        "Cook the pasta\r\nLocation: https://evil.example",
        "Preheat the oven",  # a real sentence of the guide, but of another section
    ],
)
def test_go_only_ever_redirects_to_the_advisors_own_section(client: TestClient, sentence: str) -> None:
    params = {"a": "A" * 16, "r": "1", "s": "cooking/step-2-boiling-pasta", "t": sentence}
    location = go(client, "/go?" + "&".join(f"{k}={v}" for k, v in _quoted(params).items()))
    assert location == "/guide/cooking#step-2-boiling-pasta"  # the sentence is not the section's: dropped


def _quoted(params: dict[str, str]) -> dict[str, str]:
    from urllib.parse import quote

    return {k: quote(v, safe="") for k, v in params.items()}


def test_events_from_the_page_share_the_events_rate_limit(tiny_advisor: Advisor) -> None:
    settings = Settings(events_burst=2, events_per_minute=1)
    with TestClient(create_app(settings, advisor=tiny_advisor), raise_server_exceptions=False) as c:
        page = ask(c)
        click = {"type": "click", "answer_id": "A" * 16, "rank": 1, "section": "cooking/step-2-boiling-pasta"}
        assert c.post("/api/v1/events", json=click).status_code == 202
        fields = {**page.forms[0]["fields"], "vote": "up"}
        assert c.post("/feedback", data=fields, follow_redirects=False).status_code == 303
        limited = c.post("/feedback", data=fields, headers=HTML, follow_redirects=False)
        assert limited.status_code == 429 and "retry-after" in limited.headers
        assert "Too many requests" in limited.text
        # Over the limit a click still takes the visitor to the section; it is just not recorded.
        assert go(c, page.links[0]).startswith("/guide/cooking#step-2-boiling-pasta")
        found = insights(c)
    assert found.totals.votes_up == 1 and found.totals.clicks == 0


def test_without_recording_the_page_links_straight_to_the_guide(tiny_advisor: Advisor) -> None:
    with TestClient(create_app(Settings(insights_enabled=False), advisor=tiny_advisor)) as c:
        res = c.get("/", params={"q": QUESTION})
        page = Results(res.text)
    assert page.links and all(link.startswith("/guide/") for link in page.links)
    assert page.forms == [] and "/feedback" not in res.text
    assert res.headers["cache-control"].startswith("public") and "etag" in res.headers
