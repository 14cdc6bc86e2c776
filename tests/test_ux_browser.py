"""What the visitor sees (issue 21): the ask page, the guide page and the widget on a hostile host page, in
headless Chromium at 1280 and 375 px, light and dark, against the real uvicorn server and the real guide."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote_plus, unquote, urlsplit

import pytest

from advisor.answer.advisor import Advisor, Answer
from advisor.settings import Settings
from advisor.web.app import create_app
from tests.servers import CHROMIUM, chromium, free_ports, serve_app, serve_static
from tests.ux_shots import QUESTIONS, hostile_page, snippet_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium"),
]
WIDGET = "career-advisor"
OPTION = f"{WIDGET} [role=option]"
WIDTHS = [1280, 375]
SCREEN = 740  # the height of the first screen on a phone
SCHEMES = ["light", "dark"]
# axe-core from npm (`npm install axe-core` in the repository, or AXE_CORE=path/to/axe.min.js); never a CDN.
AXE_PLACES = [
    os.environ.get("AXE_CORE", ""),
    str(Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"),
    "/usr/lib/node_modules/axe-core/axe.min.js",
    "/tmp/axe/node_modules/axe-core/axe.min.js",
]
AXE = next((Path(p) for p in AXE_PLACES if p and Path(p).is_file()), None)
NO_ANSWER = QUESTIONS["no-answer"]


class Unsure(Advisor):
    """The real advisor, except that a question about pizza is not answered (the fake embedder is too
    eager to call anything an answer; the core's threshold is not the subject here)."""

    def ask(self, question: str, **options: Any) -> Answer:
        answer = super().ask(question, **options)
        return dataclasses.replace(answer, answered=False) if "pizza" in question else answer


@dataclass
class Sites:
    api: str
    host: str


@pytest.fixture(scope="module")
def sites(real_corpus_advisor: Advisor, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    api_port, host_port = free_ports(2)
    data = tmp_path_factory.mktemp("ux-data")
    settings = Settings(cors_origins=f"http://127.0.0.1:{host_port}", data_dir=data)
    unsure = Unsure(real_corpus_advisor.index, real_corpus_advisor.embedder)
    pages = tmp_path_factory.mktemp("ux-host")
    with serve_app(create_app(settings, advisor=unsure), api_port) as api:
        snippet = snippet_of(api)
        (pages / "hostile.html").write_text(hostile_page(snippet))
        (pages / "auto.html").write_text(
            hostile_page(snippet.replace(f"<{WIDGET}", f'<{WIDGET} theme="auto"'))
        )
        owned = f'<{WIDGET} data-examples=\'["how do I start?", "what do juniors earn?"]\''
        (pages / "examples.html").write_text(hostile_page(snippet.replace(f"<{WIDGET}", owned)))
        with serve_static(pages, host_port) as host:
            yield Sites(api, host)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def opener(url: str, width: int = 1280, scheme: str = "light", **options: Any) -> Any:
        from playwright.sync_api import expect

        expect.set_options(timeout=8000)
        context = browser.new_context(
            viewport={"width": width, "height": SCREEN}, color_scheme=scheme, **options
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(url)
        if url.startswith(("http://127.0.0.1", "https://")) and url.endswith(".html"):
            page.wait_for_function(f"() => customElements.get('{WIDGET}') !== undefined")
        return page

    yield opener
    for context in contexts:
        context.close()


def ask_page(sites: Sites, question: str) -> str:
    return f"{sites.api}/?q={quote_plus(question)}"


def ask_widget(page: Any, question: str) -> Any:
    from playwright.sync_api import expect

    box = page.locator(f"{WIDGET} [role=combobox]")
    box.fill(question)
    options = page.locator(f"{OPTION}:not([data-q])")
    expect(options.first).to_be_visible()
    return options


STYLE = """(el) => { const s = getComputedStyle(el);
  return {size: parseFloat(s.fontSize), transform: s.textTransform, spacing: s.letterSpacing,
          bg: s.backgroundColor, font: s.fontFamily}; }"""


# ------------------------------------------------------------------------------------------ the widget


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_host_page_css_does_not_reach_the_widget(
    sites: Sites, open_page: Any, width: int, scheme: str
) -> None:
    page = open_page(f"{sites.host}/hostile.html", width, scheme)
    assert (
        page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == 10
    )  # hostile indeed
    options = ask_widget(page, QUESTIONS["salary"])
    field = page.locator(f"{WIDGET} [part=input]").evaluate(STYLE)
    assert field["size"] >= 16, "a field under 16 px zooms the page on focus in iOS"
    heading = options.first.locator("[part=heading]").evaluate(STYLE)
    assert heading["size"] == 16 and heading["transform"] == "none" and heading["spacing"] == "normal"
    excerpt = options.first.locator("[part=excerpt]").evaluate(STYLE)
    assert excerpt["size"] >= 14 and excerpt["transform"] == "none"
    assert "Georgia" not in heading["font"]
    # Light by default, whatever the visitor's system says: the site owner opts in to dark.
    assert page.locator(f"{WIDGET} [part=box]").evaluate(STYLE)["bg"] == "rgb(255, 255, 255)"
    box = page.locator(f"{WIDGET} [part=box]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    assert page.errors == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_theme_auto_follows_the_system(sites: Sites, open_page: Any, scheme: str) -> None:
    page = open_page(f"{sites.host}/auto.html", 375, scheme)
    bg = page.locator(f"{WIDGET} [part=box]").evaluate(STYLE)["bg"]
    assert bg == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(22, 26, 31)")


def fragment_texts(href: str) -> list[str]:
    """The text a `:~:text=` directive names: one string, or its start and end."""
    directive = href.split(":~:text=", 1)[1]
    return [unquote(part) for part in directive.split(",")]


def page_text(page: Any) -> str:
    return " ".join(page.evaluate("document.body.innerText").split())


@pytest.mark.parametrize("question", [QUESTIONS["salary"], QUESTIONS["what-next"], "do I need a degree"])
def test_every_widget_fragment_is_text_of_the_guide_page(sites: Sites, open_page: Any, question: str) -> None:
    page = open_page(f"{sites.host}/hostile.html")
    options = ask_widget(page, question)
    hrefs = [h for h in (o.get_attribute("href") for o in options.all()) if h and ":~:text=" in h]
    assert hrefs, "no result links to a sentence"
    guide = open_page(hrefs[0].split("#")[0])
    text = page_text(guide)
    for href in hrefs:
        for part in fragment_texts(href):
            assert not re.match(r"^(?:- |\d+\. )", part), f"a list marker in the fragment: {part!r}"
            assert " ".join(part.split()) in text, f"not on the page: {part!r}"


def test_a_widget_link_to_a_list_item_marks_the_sentence_on_landing(sites: Sites, open_page: Any) -> None:
    page = open_page(f"{sites.host}/hostile.html")
    options = ask_widget(page, QUESTIONS["salary"])
    hrefs = [o.get_attribute("href") or "" for o in options.all()]
    listed = [h for h in hrefs if ":~:text=" in h]
    assert listed
    option = options.nth(hrefs.index(listed[0]))
    with page.expect_navigation():
        option.click()
    page.wait_for_timeout(300)  # Chromium scrolls to and marks the text after load
    target = page.evaluate("() => document.querySelector(':target')?.textContent ?? ''")
    assert fragment_texts(listed[0])[0] in " ".join(target.split())


def test_the_ask_pages_fragments_are_text_of_the_guide_page(sites: Sites, open_page: Any) -> None:
    for question in (QUESTIONS["salary"], QUESTIONS["what-next"], "do I need a degree"):
        page = open_page(ask_page(sites, question))
        sentences = []
        for link in page.locator("ol.hits h3 a").all():
            go = urlsplit(link.get_attribute("href") or "")
            sentences += parse_qs(go.query).get("t", [])
        guide = open_page(f"{sites.api}/guide/backend-engineer")
        text = page_text(guide)
        assert sentences
        for sentence in sentences:
            assert not re.match(r"^(?:- |\d+\. )", sentence) and " ".join(sentence.split()) in text


@pytest.mark.parametrize("width", WIDTHS)
def test_the_widget_leads_with_the_next_step_and_shows_nothing_twice(
    sites: Sites, open_page: Any, width: int
) -> None:
    page = open_page(f"{sites.host}/hostile.html", width)
    options = ask_widget(page, QUESTIONS["what-next"])
    first = options.first
    assert first.locator("[part=badge]").count() == 1
    assert "Step 6" in first.locator("[part=heading]").inner_text()
    headings = [
        o.locator("[part=heading]").inner_text().replace("Next step", "").strip() for o in options.all()
    ]
    assert len(headings) == len(set(headings)), headings


def test_results_are_grouped_under_their_guide_and_section(sites: Sites, open_page: Any) -> None:
    page = open_page(f"{sites.host}/hostile.html")
    ask_widget(page, QUESTIONS["salary"])
    labels = page.locator(f"{WIDGET} [part=group-label]").all_inner_texts()
    assert labels and len(labels) == len(set(labels))  # each guide › section once
    assert any("SALARY" in label.upper() for label in labels)


def test_before_the_first_question_examples_and_recent_questions(sites: Sites, open_page: Any) -> None:
    from playwright.sync_api import expect

    page = open_page(f"{sites.host}/hostile.html", 375)
    box = page.locator(f"{WIDGET} [role=combobox]")
    box.focus()
    suggestions = page.locator(f"{OPTION}[data-q]")
    expect(suggestions.first).to_be_visible()
    examples = suggestions.all_inner_texts()
    assert examples and all(e for e in examples)  # the guide's main sections, from its contents
    status = page.locator(f"{WIDGET} [part=message]").inner_text()
    assert "Enter" not in status  # it searches as you type
    box.press("ArrowDown")
    box.press("Enter")  # asks the first example
    expect(page.locator(f"{OPTION}:not([data-q])").first).to_be_visible()
    assert box.input_value() == examples[0]
    see_all = page.locator(f"{WIDGET} [part=see-all]")
    assert see_all.get_attribute("href") == f"{sites.api}/?q={quote_plus(examples[0])}&guide=backend-engineer"
    box.fill("")
    expect(page.locator(f"{OPTION}[data-q]").first).to_be_visible()
    assert page.locator(f"{OPTION}[data-q]").first.inner_text() == examples[0]  # now a recent question
    stored = page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('career-advisor'))")
    assert len(stored) == 1
    page.locator(f"{WIDGET} [part=clear]").click()
    assert page.evaluate(f"() => localStorage.getItem({stored[0]!r})") is None
    expect(page.locator(f"{WIDGET} [part=clear]")).to_have_count(0)

    owned = open_page(f"{sites.host}/examples.html")
    owned.locator(f"{WIDGET} [role=combobox]").focus()
    expect(owned.locator(f"{OPTION}[data-q]")).to_have_text(["how do I start?", "what do juniors earn?"])


def focused(page: Any) -> str:
    return str(
        page.evaluate(f"""() => {{
      const root = document.querySelector('{WIDGET}').shadowRoot.activeElement;
      return root ? (root.getAttribute('part') || root.tagName) : 'outside:' + document.activeElement.tagName;
    }}""")
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_leaves_the_widget_after_one_stop_for_the_votes(sites: Sites, open_page: Any, width: int) -> None:
    page = open_page(f"{sites.host}/hostile.html", width)
    ask_widget(page, QUESTIONS["salary"])
    assert page.locator(f"{WIDGET} [part=vote-up]").count() >= 3
    stops = []
    for _ in range(6):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if stops[-1].startswith("outside"):
            break
    assert stops[:2] == ["see-all", "vote-up"] and stops[2].startswith("outside"), stops
    page.keyboard.press("Shift+Tab")  # back in: the folded results open again
    assert focused(page) == "see-all"
    page.keyboard.press("Tab")
    assert focused(page) == "vote-up"
    page.keyboard.press("ArrowRight")
    assert focused(page) == "vote-down"
    page.keyboard.press("ArrowDown")  # the next result's vote
    assert focused(page) == "vote-down"
    page.keyboard.press("Escape")
    assert focused(page) == "input"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_touch_targets_are_44_px_on_a_phone(sites: Sites, open_page: Any, scheme: str) -> None:
    page = open_page(f"{sites.host}/hostile.html", 375, scheme, has_touch=True, is_mobile=True)
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    options = ask_widget(page, QUESTIONS["salary"])
    for part in ("vote-up", "vote-down", "see-all"):
        box = page.locator(f"{WIDGET} [part={part}]").first.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (part, box)
    assert options.first.bounding_box()["height"] >= 44


def test_inline_results_fold_when_focus_leaves(sites: Sites, open_page: Any) -> None:
    from playwright.sync_api import expect

    page = open_page(f"{sites.host}/hostile.html", 375)
    ask_widget(page, QUESTIONS["salary"])
    listbox = page.locator(f"{WIDGET} [part=listbox]")
    tall = listbox.bounding_box()["height"]
    assert tall <= SCREEN * 0.7 + 1  # even open, it never pushes the host page down by screens
    page.locator("h1").click()
    expect(listbox).to_be_hidden()
    expect(page.locator(f"{WIDGET} [role=combobox]")).to_have_attribute("aria-expanded", "false")
    page.locator(f"{WIDGET} [role=combobox]").focus()
    expect(listbox).to_be_visible()


# ------------------------------------------------------------------------------------------ the pages


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_answer_starts_in_the_first_screen(sites: Sites, open_page: Any, width: int, scheme: str) -> None:
    page = open_page(ask_page(sites, QUESTIONS["salary"]), width, scheme)
    first = page.locator("ol.hits > li").first
    answer = first.locator(".answer-lines, .passage").first
    assert answer.bounding_box()["y"] + 24 <= SCREEN, "the first line of the answer is below the fold"
    for hit in page.locator("ol.hits > li").all():
        lines = hit.locator(".answer-lines p").all_inner_texts()
        if lines:  # the answering line is visible once: the passage holding it is folded
            assert not hit.locator("details.passage-more").evaluate("(d) => d.open")
            assert all(len(line.split()) >= 3 for line in lines)  # never a bare "3."
        vote = hit.locator(".vote")
        if vote.count():
            assert vote.bounding_box()["height"] <= 60  # one compact row
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0


@pytest.mark.parametrize("width", WIDTHS)
def test_what_next_leads_with_the_next_step(sites: Sites, open_page: Any, width: int) -> None:
    page = open_page(ask_page(sites, QUESTIONS["what-next"]), width)
    cards = page.locator("ol.hits > li")
    assert cards.first.locator(".badge").inner_text() == "Next step"
    assert cards.first.locator("h3").inner_text().startswith("Step 6")
    assert cards.first.bounding_box()["y"] < SCREEN
    headings = cards.locator("h3").all_inner_texts()
    assert len(headings) == len(set(headings)), headings
    assert "Step 5: Learn About APIs and Web Services" in headings[1:]  # the step done comes after


@pytest.mark.parametrize("width", WIDTHS)
def test_no_good_answer_is_short_and_says_where_to_go(sites: Sites, open_page: Any, width: int) -> None:
    page = open_page(ask_page(sites, NO_ANSWER), width)
    assert page.locator("#results-title").inner_text() == "No good answer in the guide"
    closest = page.locator(".closest-list > li")
    assert 1 <= closest.count() <= 3
    assert page.locator(".closest-list details[open]").count() == 0  # headings only, until opened
    assert (
        page.locator("form[action='/feedback']").count() == 0 and page.locator(".answer-lines").count() == 0
    )
    assert page.locator(".examples a").count() >= 3
    assert page.locator("ol.contents a").count() >= 5  # the guide's contents
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= (1300 if width == 1280 else 1700), height


def test_enter_in_the_why_field_sends_the_vote(sites: Sites, open_page: Any) -> None:
    from playwright.sync_api import expect

    page = open_page(ask_page(sites, QUESTIONS["salary"]), 375)
    page.locator("details.why summary").first.click()
    why = page.locator("details.why input[name=reason]").first
    why.fill("no figure for my city")
    with page.expect_navigation():
        why.press("Enter")
    thanks = page.locator("#thanks")
    expect(thanks).to_be_visible()
    assert thanks.bounding_box()["y"] > 100, "the thanks note is cut off at the top of the screen"


def test_the_guide_page_has_an_ask_box(sites: Sites, open_page: Any) -> None:
    page = open_page(f"{sites.api}/guide/backend-engineer", 375)
    page.locator("#q").fill("what do juniors earn")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert "guide=backend-engineer" in page.url and page.locator("ol.hits > li").count() >= 1


# ------------------------------------------------------------------------------------------ axe-core


def serious(page: Any) -> list[str]:
    assert AXE is not None
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.skipif(AXE is None, reason="needs axe-core from npm: npm install axe-core (or AXE_CORE=path)")
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("where", ["ask", "no-answer", "guide", "embed", "docs", "hostile"])
def test_axe_finds_nothing_serious(sites: Sites, open_page: Any, where: str, width: int, scheme: str) -> None:
    urls = {
        "ask": ask_page(sites, QUESTIONS["salary"]),
        "no-answer": ask_page(sites, NO_ANSWER),
        "guide": f"{sites.api}/guide/backend-engineer#backend-engineer-salary",
        "embed": f"{sites.api}/embed",
        "docs": f"{sites.api}/docs",
        "hostile": f"{sites.host}/hostile.html",
    }
    page = open_page(urls[where], width, scheme, bypass_csp=True)  # to add axe's script to the page
    if where == "hostile":
        ask_widget(page, QUESTIONS["salary"])
    if where == "docs":
        page.locator(".opblock").first.wait_for()  # Swagger UI has drawn the operations
    assert serious(page) == []
