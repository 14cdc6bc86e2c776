"""Citations always resolve: every section url the API can return lands on a heading of the guide page,
and every text fragment the ask page links to lies in the cited section."""

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web.app import create_app

BLOCKS = {"p", "li", "td", "th", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "summary"}


class GuidePage(HTMLParser):
    """Every id (with its tag and text), and the text of each block, with the section it sits in."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[tuple[str, str]] = []  # (id, tag)
        self.blocks: list[tuple[int | None, str]] = []  # (section number, text), in page order
        self.heading_text: dict[str, str] = {}
        self.section_by_id: dict[str, int | None] = {}
        self._open: list[tuple[str, list[str], str | None]] = []  # open blocks: tag, text, id
        self._divs: list[bool] = []  # open <div>s: is it a section?
        self._sections = 0
        self.feed(html)

    @property
    def section(self) -> int | None:
        return self._sections - 1 if any(self._divs) else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if "id" in attr:
            self.ids.append((str(attr["id"]), tag))
        if tag == "div":
            is_section = attr.get("class") == "section"
            self._sections += is_section
            self._divs.append(is_section)
        if tag in BLOCKS:
            self._open.append((tag, [], attr.get("id")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self._divs.pop()
        if tag in BLOCKS and self._open and self._open[-1][0] == tag:
            _, parts, block_id = self._open.pop()
            text = " ".join("".join(parts).split())
            self.blocks.append((self.section, text))
            if block_id:
                self.heading_text[block_id] = text
                self.section_by_id[block_id] = self.section

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][1].append(data)


class AskPage(HTMLParser):
    """The results' links: straight to /guide/..., or through /go, which records the click."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        cites = href.startswith("/go?") or (href.startswith("/guide/") and "#" in href)
        if tag == "a" and cites and href not in self.links:
            self.links.append(href)


def citations(client: TestClient, html: str) -> list[str]:
    """Where the ask page's result links land, /go links followed through their redirect."""
    out = []
    for link in AskPage(html).links:
        if link.startswith("/go?"):
            res = client.get(link, follow_redirects=False)
            assert res.status_code == 303, link
            link = res.headers["location"]
        if link not in out:
            out.append(link)
    return out


@pytest.fixture(scope="module")
def real_corpus_client(real_corpus_advisor: Advisor) -> TestClient:
    """The real guides (indexed with the fake embedder: what is cited does not depend on the model)."""
    with TestClient(create_app(Settings(), advisor=real_corpus_advisor)) as client:
        yield client


def guide_pages(client: TestClient) -> dict[str, GuidePage]:
    guides = client.get("/api/v1/guides").json()["guides"]
    assert guides, "no guide in the corpus"
    return {g["id"]: GuidePage(client.get(g["url"]).text) for g in guides}


def assert_lands(url: str, pages: dict[str, GuidePage], heading: str | None = None) -> None:
    """`url` is /guide/{id}#{anchor}: the guide page has one element with that id, a heading."""
    parts = urlsplit(url)
    guide = parts.path.removeprefix("/guide/")
    anchor = unquote(parts.fragment.split(":~:")[0])
    matching = [tag for element_id, tag in pages[guide].ids if element_id == anchor]
    assert len(matching) == 1 and re.fullmatch(r"h[1-6]", matching[0]), f"dead citation {url}"
    if heading is not None:
        assert pages[guide].heading_text[anchor] == " ".join(heading.split())


def test_every_section_the_api_lists_lands_on_its_heading(real_corpus_client: TestClient) -> None:
    pages = guide_pages(real_corpus_client)
    for guide, page in pages.items():
        toc = real_corpus_client.get(f"/api/v1/guides/{guide}/sections").json()["sections"]
        assert len(toc) > 10
        for section in toc:
            assert_lands(section["url"], pages, section["heading"])
            one = real_corpus_client.get(f"/api/v1/guides/{guide}/sections/{section['anchor']}")
            assert one.status_code == 200 and one.json()["url"] == section["url"]
        ids = [element_id for element_id, _ in page.ids]
        assert len(ids) == len(set(ids)), "an id is used twice on the guide page"


def test_every_section_an_answer_can_cite_lands_on_its_heading(real_corpus_client: TestClient) -> None:
    """Ask for each section by its own heading, as many results as allowed: every cited url resolves."""
    pages = guide_pages(real_corpus_client)
    cited: set[str] = set()
    passages = 0
    for guide in pages:
        for section in real_corpus_client.get(f"/api/v1/guides/{guide}/sections").json()["sections"]:
            text = real_corpus_client.get(f"/api/v1/guides/{guide}/sections/{section['anchor']}").json()[
                "text"
            ]
            passages += bool(text)
            answer = real_corpus_client.get("/api/v1/ask", params={"q": section["heading"], "k": 20}).json()
            for result in answer["results"]:
                assert_lands(result["url"], pages, result["section"])
                cited.add(result["url"])
    assert len(cited) >= 0.9 * passages  # the questions reached (nearly) every passage


def test_ask_page_links_land_on_the_cited_section_and_sentence(real_corpus_client: TestClient) -> None:
    pages = guide_pages(real_corpus_client)
    questions = ["what should I learn after SQL", "kubernetes", "salary", "do I need a degree", "git"]
    fragments = 0
    for question in questions:
        links = citations(real_corpus_client, real_corpus_client.get("/", params={"q": question}).text)
        assert len(links) == 5, question
        for link in links:
            assert_lands(link, pages)
            fragments += assert_fragment_in_section(link, pages)
    assert fragments >= 20  # most results carry a text fragment


def assert_fragment_in_section(link: str, pages: dict[str, GuidePage]) -> bool:
    """The text fragment's first match on the page (in one block, ignoring case) is in the cited section."""
    parts = urlsplit(link)
    if ":~:text=" not in parts.fragment:
        return False
    anchor, directive = parts.fragment.split(":~:text=")
    text = " ".join(unquote(directive).split()).casefold()
    page = pages[parts.path.removeprefix("/guide/")]
    first = next((section for section, block in page.blocks if text in block.casefold()), "nowhere")
    assert first == page.section_by_id[unquote(anchor)], f"{link} highlights text outside its section"
    return True


@pytest.mark.model
def test_real_answers_cite_sections_that_resolve(real_advisor: Advisor) -> None:
    with TestClient(create_app(Settings(), advisor=real_advisor)) as client:
        pages = guide_pages(client)
        html = client.get("/", params={"q": "what should I learn after SQL"}).text
        links = citations(client, html)
        # the step that follows leads, marked "next", then the step the visitor is at (issue 21, point 5)
        anchors = [urlsplit(link).fragment.split(":~:")[0] for link in links[:2]]
        assert anchors == [
            "step-4-understand-server-network-and-hosting-environments",
            "step-3-master-database-management-systems",
        ]
        for link in links:
            assert_lands(link, pages)
            assert_fragment_in_section(link, pages)
