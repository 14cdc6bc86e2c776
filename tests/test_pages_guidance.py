"""What the pages offer around an answer (issue 21, points 3 and 4): example questions from the guides'
headings, the ask box's length limit, "search for what I typed instead", and a guide page that marks
the section landed on and links back to the answer, all without JavaScript."""

import html
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web.app import create_app
from advisor.web.examples import example_questions


@pytest.fixture
def client(tiny_advisor: Advisor) -> Iterator[TestClient]:
    settings = Settings(max_question_chars=321, insights_enabled=False)
    with TestClient(create_app(settings, advisor=tiny_advisor)) as c:
        yield c


def examples_listed(page: str) -> list[str]:
    block = re.search(r'<ul class="examples">(.*?)</ul>', page, re.S)
    assert block, "no examples on the page"
    return [html.unescape(t) for t in re.findall(r"<a [^>]*>([^<]+)</a>", block.group(1))]


def test_the_empty_ask_page_offers_the_guides_questions(client: TestClient, tiny_advisor: Advisor) -> None:
    listed = examples_listed(client.get("/").text)
    headings = {s.heading for g in tiny_advisor.guides for s in g.sections}
    assert len(listed) >= 3 and set(listed) <= headings
    assert listed[0] == "Is cooking expensive?"  # a heading that asks comes first
    only = examples_listed(client.get("/", params={"guide": "gardening"}).text)
    assert set(only) <= {s.heading for s in tiny_advisor.guide("gardening").sections}


def test_a_guides_examples_are_its_faq_questions(real_corpus_advisor: Advisor) -> None:
    (guide,) = real_corpus_advisor.guides
    examples = example_questions(guide)
    assert len(examples) == 4 and all(e.endswith("?") for e in examples)
    assert "What qualifications do I need to become a Backend Engineer?" in examples


def test_the_api_lists_each_guides_examples(client: TestClient, tiny_advisor: Advisor) -> None:
    guides = client.get("/api/v1/guides").json()["guides"]
    for g in guides:
        assert g["examples"] == list(example_questions(tiny_advisor.guide(g["id"])))


def test_the_ask_box_takes_at_most_the_questions_length(client: TestClient) -> None:
    for url in ("/", "/guide/cooking"):
        box = re.search(r'<input id="q"[^>]*>', client.get(url).text, re.S)
        assert box and 'maxlength="321"' in box.group(), url


def test_a_corrected_question_can_be_searched_as_typed(client: TestClient) -> None:
    page = client.get("/", params={"q": "tomatos watering"}).text
    link = re.search(r'<a class="raw" href="([^"]+)">Search for “tomatos watering” instead</a>', page)
    assert link and "you typed “tomatos”" in page
    as_typed = client.get(html.unescape(link.group(1)))
    assert parse_qs(urlsplit(html.unescape(link.group(1))).query)["raw"] == ["1"]
    assert as_typed.status_code == 200 and 'class="corrections"' not in as_typed.text
    api = client.get("/api/v1/ask", params={"q": "tomatos watering", "raw": "true"}).json()
    assert api["corrections"] == []
    posted = client.post("/api/v1/ask", json={"question": "tomatos watering", "raw": True}).json()
    assert posted["corrections"] == []
    assert client.get("/api/v1/ask", params={"q": "tomatos watering"}).json()["corrections"]


def result_links(page: str) -> list[str]:
    titles = re.findall(r'<h3 id="hit-[^"]+" class="hit-title"><a href="([^"]+)"', page)
    return [html.unescape(h) for h in titles]


def test_the_guide_page_marks_the_section_landed_on_and_links_back(client: TestClient) -> None:
    links = result_links(client.get("/", params={"q": "how to boil pasta", "guide": "cooking"}).text)
    assert links
    url = urlsplit(links[0])
    params = parse_qs(url.query)
    assert url.path == "/guide/cooking" and url.fragment.startswith(params["at"][0])
    assert params["q"] == ["how to boil pasta"] and params["only"] == ["cooking"]
    page = client.get(f"{url.path}?{url.query}").text
    current = re.findall(r'<a href="#([^"]+)" aria-current="location">', page)
    assert current == [params["at"][0]] * 2  # in the compact contents and in the side contents
    back = re.search(r'<p class="back-to-answer"><a href="([^"]+)">Back to your answer</a>', page)
    assert back and parse_qs(urlsplit(html.unescape(back.group(1))).query) == {
        "q": ["how to boil pasta"],
        "guide": ["cooking"],
    }
    plain = client.get("/guide/cooking", params={"at": "no-such-section", "a": "<script>"}).text
    assert 'aria-current="location"' not in plain and "back-to-answer" not in plain


def test_a_recorded_click_lands_with_the_way_back(tiny_advisor: Advisor) -> None:
    with TestClient(create_app(Settings(events_burst=1000), advisor=tiny_advisor)) as c:
        links = result_links(c.get("/", params={"q": "how to boil pasta"}).text)
        assert links[0].startswith("/go?")
        res = c.get(links[0], follow_redirects=False)
        location = urlsplit(res.headers["location"])
        params = parse_qs(location.query)
        assert params["q"] == ["how to boil pasta"] and params["at"] == [location.fragment.split(":~:")[0]]
        page = c.get(f"{location.path}?{location.query}")
    back = re.search(r'<p class="back-to-answer"><a href="([^"]+)">', page.text)
    assert back and parse_qs(urlsplit(html.unescape(back.group(1))).query)["a"] == params["a"]
    assert page.headers["cache-control"].startswith("private")  # it carries the visitor's answer id
