"""The ask page and the guide pages, server-rendered, in-process."""

import dataclasses
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor, Answer
from advisor.settings import Settings
from advisor.web.app import create_app

HTML = {"accept": "text/html"}


@pytest.fixture
def client(tiny_advisor: Advisor) -> TestClient:
    with TestClient(create_app(Settings(), advisor=tiny_advisor), raise_server_exceptions=False) as c:
        yield c


class Page(HTMLParser):
    """Tags with their attributes, ids, links, and the text of the page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs in self.tags if "id" in attrs]

    def links(self) -> list[str]:
        return [a["href"] for a in self.all("a") if "href" in a]


def cited(client: TestClient, page: Page) -> list[str]:
    """Where the results link: /guide/{guide}#{anchor}, a click-recording /go link followed to it (the
    query that tells the guide page the section and the way back to the answer is left out)."""
    out = []
    for link in page.links():
        if link.startswith("/go?"):
            res = client.get(link, follow_redirects=False)
            assert res.status_code == 303, link
            link = res.headers["location"]
        link = re.sub(r"\?[^#]*", "", link, count=1)
        if link.startswith("/guide/") and "#" in link and link not in out:
            out.append(link)
    return out


def test_empty_ask_page_is_a_plain_get_form(client: TestClient) -> None:
    res = client.get("/")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    page = Page(res.text)
    (form,) = page.all("form")
    assert form["method"] == "get" and form["action"] == "/"
    (question,) = [i for i in page.all("input") if i.get("name") == "q"]
    assert question["id"] == "q" and any(label.get("for") == "q" for label in page.all("label"))
    assert {"header", "nav", "main", "footer"} <= {tag for tag, _ in page.tags}
    assert "/guide/cooking" in page.links() and "/guide/gardening" in page.links()  # designed, not blank
    assert any(link.startswith("/?q=") for link in page.links())  # example questions


def test_pages_load_nothing_from_elsewhere_and_carry_no_inline_script_or_style(client: TestClient) -> None:
    for path in ("/", "/?q=how+to+boil+pasta", "/guide/cooking", "/guide/nope", "/?q="):
        page = Page(client.get(path).text)
        assert page.all("script") == [], path  # the pages need no JavaScript at all
        assert page.all("style") == [] and not any("style" in attrs for _, attrs in page.tags), path
        sources = [a["href"] for a in page.all("link")] + [a.get("src", "") for a in page.all("img")]
        assert all(s.startswith("/") for s in sources), sources
        (css,) = [a["href"] for a in page.all("link") if a.get("rel") == "stylesheet"]
        assert client.get(css).status_code == 200


def test_asking_shows_cited_passages_with_matched_words_marked(client: TestClient) -> None:
    res = client.get("/", params={"q": "how to boil pasta"})
    assert res.status_code == 200
    links = cited(client, Page(res.text))
    assert links[0].startswith("/guide/cooking#step-2-boiling-pasta:~:text=")
    assert (
        unquote(links[0].split(":~:text=")[1])
        in "Bring salted water to a rolling boil and cook the pasta until al dente."
    )
    assert "Step 2: Boiling Pasta" in res.text
    assert "Cooking Basics › Steps to Learn Cooking" in res.text  # breadcrumb
    assert "<mark>pasta</mark>" in res.text and "<mark>boil</mark>" in res.text
    assert "What the guide says" in res.text


def test_a_question_is_shown_as_text_never_as_markup(client: TestClient) -> None:
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    res = client.get("/", params={"q": attack})
    assert res.status_code == 200
    assert "<script>" not in res.text and "<img src=x" not in res.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in res.text
    page = Page(res.text)
    assert page.all("script") == [] and all(img.get("src") != "x" for img in page.all("img"))
    (question,) = [i for i in page.all("input") if i.get("id") == "q"]
    assert question["value"] == attack  # given back in the box, intact, as an attribute value
    kept = [i["value"] for i in page.all("input") if i.get("name") == "q" and i.get("type") == "hidden"]
    # a page with no good answer has no vote forms; where there are, each keeps it intact for the way back
    assert set(kept) <= {attack}


def test_an_empty_question_gets_a_friendly_nudge(client: TestClient) -> None:
    res = client.get("/", params={"q": "   "})
    assert res.status_code == 200
    assert "Type a question first." in res.text and 'role="alert"' in res.text
    assert Page(res.text).all("form")  # the form is still there to use


def test_an_over_long_question_gets_a_message_on_the_page(client: TestClient) -> None:
    res = client.get("/", params={"q": "why " * 200})
    assert res.status_code == 422 and res.headers["content-type"].startswith("text/html")
    assert "The question is longer than 500 characters." in res.text
    assert 'aria-invalid="true"' in res.text and Page(res.text).all("form")


def test_an_unknown_guide_filter_gets_a_message_on_the_page(client: TestClient) -> None:
    res = client.get("/", params={"q": "pasta", "guide": "nursing"})
    assert res.status_code == 404 and "Unknown guide" in res.text and Page(res.text).all("form")


def test_the_guide_filter_narrows_the_answer(client: TestClient) -> None:
    page = Page(client.get("/", params={"q": "water", "guide": "gardening"}).text)
    links = cited(client, page)
    assert links and all(link.startswith("/guide/gardening#") for link in links)
    (selected,) = [o for o in page.all("option") if "selected" in o]
    assert selected["value"] == "gardening"


class Unsure(Advisor):
    """The core decides when an answer is confident; here it is not, to show the page's state."""

    keep_results = True

    def ask(self, question: str, **options) -> Answer:  # type: ignore[no-untyped-def, override]
        answer = super().ask(question, **options)
        return dataclasses.replace(
            answer, answered=False, results=answer.results if self.keep_results else ()
        )


def test_no_good_answer_lists_the_closest_sections(tiny_advisor: Advisor) -> None:
    unsure = Unsure(tiny_advisor.index, tiny_advisor.embedder)
    with TestClient(create_app(Settings(), advisor=unsure)) as c:
        res = c.get("/", params={"q": "how to boil pasta"})
    assert res.status_code == 200
    assert "No good answer in the guide" in res.text and "Closest sections" in res.text
    assert "What the guide says" not in res.text
    assert "/guide/cooking#step-2-boiling-pasta" in res.text


def test_no_answer_and_no_section_is_designed_too(tiny_advisor: Advisor) -> None:
    unsure = Unsure(tiny_advisor.index, tiny_advisor.embedder)
    unsure.keep_results = False
    with TestClient(create_app(Settings(), advisor=unsure)) as c:
        res = c.get("/", params={"q": "quantum chromodynamics"})
    assert "Nothing in the guide matches" in res.text and "Closest sections" not in res.text
    assert "/guide/cooking" in Page(res.text).links()  # somewhere to go next


def test_guide_page_renders_every_heading_with_its_cited_anchor(
    client: TestClient, tiny_advisor: Advisor
) -> None:
    res = client.get("/guide/cooking")
    assert res.status_code == 200
    page = Page(res.text)
    headings = [
        (tag, attrs["id"]) for tag, attrs in page.tags if re.fullmatch(r"h[1-6]", tag) and "id" in attrs
    ]
    sections = tiny_advisor.guide("cooking").sections
    assert [h for h in headings if h[1] != "toc-title"] == [(f"h{s.level}", s.anchor) for s in sections]
    toc = [link for link in page.links() if link.startswith("#")]
    assert {f"#{s.anchor}" for s in sections if s.level > 1} <= set(toc)
    assert "<em>healthy</em>" in res.text  # markdown is rendered, not shown as source
    assert "<title>Cooking Basics · Career Advisor</title>" in res.text


def test_guide_page_with_unicode_anchors(client: TestClient) -> None:
    page = Page(client.get("/guide/gardening").text)
    assert "café-crème-ünïcode-heading" in page.ids()


def test_unknown_guide_is_a_404_page(client: TestClient) -> None:
    res = client.get("/guide/nursing")
    assert res.status_code == 404 and res.headers["content-type"].startswith("text/html")
    assert "Page not found" in res.text and "Unknown guide" in res.text
    assert "/guide/cooking" in Page(res.text).links()


def test_unknown_page_is_a_404_page_for_browsers_and_json_for_machines(client: TestClient) -> None:
    res = client.get("/no/such/page", headers=HTML)
    assert res.status_code == 404 and "Page not found" in res.text
    machine = client.get("/no/such/page")
    assert machine.status_code == 404 and machine.json()["error"]["code"] == "not_found"


def test_wrong_method_on_a_page_is_a_405_page(client: TestClient) -> None:
    res = client.post("/", headers=HTML)
    assert res.status_code == 405 and "Not allowed here" in res.text


def test_pages_say_when_the_advisor_is_starting(starting) -> None:  # type: ignore[no-untyped-def]
    client, _ = starting
    res = client.get("/", params={"q": "pasta"})
    assert res.status_code == 503 and res.headers["retry-after"] == "5"
    assert "Starting up" in res.text and "try again in a few seconds" in res.text


def test_docs_load_swagger_ui_from_this_server(client: TestClient) -> None:
    page = Page(client.get("/docs").text)
    scripts = [s["src"] for s in page.all("script")]
    assert scripts and all(s.startswith("/") for s in scripts)  # no CDN
    for src in scripts + [a["href"] for a in page.all("link")]:
        assert client.get(src).status_code == 200, src


def contrast(a: str, b: str) -> float:
    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


TEXT_ON = [  # (foreground, background) pairs the pages put text in
    ("text", "bg"),
    ("text", "surface"),
    ("text", "target"),
    ("text", "mark"),
    ("text", "danger-surface"),
    ("muted", "bg"),
    ("muted", "surface"),
    ("accent", "bg"),
    ("accent", "surface"),
    ("accent", "target"),
    ("accent-text", "accent"),
    ("danger", "bg"),
]


def test_text_colours_meet_wcag_aa_contrast_in_light_and_dark() -> None:
    from advisor.web.pages import STATIC

    css = (STATIC / "advisor.css").read_text()
    schemes = re.findall(r":root \{(.*?)\}", css, flags=re.S)
    assert len(schemes) == 2  # light, and dark under prefers-color-scheme
    for scheme in schemes:
        colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", scheme))
        for fg, bg in TEXT_ON:
            assert contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)
        assert contrast(colours["focus"], colours["bg"]) >= 3  # focus rings are visible
