"""The API's highlights are the guide page's text: no list markers, and a ready text fragment built by
the function the ask page uses (issue 21, point 4)."""

import html
import re
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web.app import create_app
from advisor.web.excerpts import excerpt


def page_text(client: TestClient, url: str) -> str:
    """The guide page's visible text, white space collapsed, as a browser's text fragment search sees it."""
    body = client.get(url).text
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()).casefold()


def check_fragments(client: TestClient, question: str) -> list[dict]:  # type: ignore[type-arg]
    results = client.get("/api/v1/ask", params={"q": question}).json()["results"]
    assert results
    for r in results:
        for h in r["highlights"]:
            assert not re.match(r"^(?:- |\d+\. )", h["text"]), h["text"]
            assert r["text"][h["start"] : h["end"]] == h["text"]
        if r["fragment"]:
            assert r["fragment"].startswith(":~:text=")
            sentence = unquote(r["fragment"].removeprefix(":~:text="))
            assert " ".join(sentence.split()).casefold() in page_text(client, r["url"].split("#")[0])
    return results  # type: ignore[no-any-return]


def test_highlights_lose_their_list_marker_and_fragments_are_page_text(tiny_advisor: Advisor) -> None:
    with TestClient(create_app(Settings(), advisor=tiny_advisor)) as client:
        results = check_fragments(client, "never leave oil heating alone in the kitchen")
    safety = next(r for r in results if r["section"] == "Kitchen Safety")
    first = safety["highlights"][0]
    assert first["text"] == "Never leave oil heating alone."
    assert safety["text"][first["start"] - 2 : first["start"]] == "- "  # the marker, left out
    assert safety["fragment"] == ":~:text=Never%20leave%20oil%20heating%20alone."


def test_the_api_fragment_is_the_ask_pages(tiny_advisor: Advisor) -> None:
    question = "knead the dough and let it rise"
    answer = tiny_advisor.ask(question)
    with TestClient(create_app(Settings(), advisor=tiny_advisor)) as client:
        results = client.get("/api/v1/ask", params={"q": question}).json()["results"]
    for hit, r in zip(answer.results, results, strict=True):
        href = excerpt(hit, tiny_advisor.guide(hit.section.guide)).href
        assert href == r["url"] + r["fragment"]


@pytest.mark.model
def test_a_salary_answers_fragments_land_on_the_guide(real_advisor: Advisor) -> None:
    with TestClient(create_app(Settings(), advisor=real_advisor)) as client:
        results = check_fragments(client, "how much does a senior backend engineer earn")
    senior = next(r for r in results if r["section"] == "Senior Backend Engineer")
    assert senior["highlights"][0]["text"] == "Median Salary: $135,000 – $185,000 per year"
    assert unquote(senior["fragment"]) == ":~:text=Median Salary: $135,000 – $185,000 per year"
