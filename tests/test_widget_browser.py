"""The widget in a real browser: its snippet on a page of another origin, driven by headless Chromium."""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from advisor.answer.advisor import Advisor
from advisor.index.build import build_index
from advisor.index.load import load_index
from advisor.settings import Settings
from advisor.web.app import create_app
from tests import widget_js
from tests.conftest import FAKE_PARAMS, FIXTURES, FakeEmbedder
from tests.servers import CHROMIUM, chromium, free_ports, serve_app, serve_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium"),
]
SHOTS = Path(__file__).resolve().parent.parent / "eval" / "reports" / "widget"
STRINGS = widget_js.strings()
WIDGET = "career-advisor"
OPTION = f"{WIDGET} [role=option]"
FOCUSED_PART = f"document.querySelector('{WIDGET}').shadowRoot.activeElement?.getAttribute('part')"
CORS_REFUSAL = re.compile(r"CORS policy|net::ERR_FAILED")


@dataclass
class Sites:
    api: str  # the advisor (real app, real uvicorn)
    host: str  # a static careers site in the allowlist
    other: str  # the same pages from an origin not in the allowlist
    pages: Path


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("widget-corpus")
    for name in ("cooking.md", "gardening.md", "hostile.md"):
        shutil.copy(FIXTURES / name, corpus / name)
    index = corpus.parent / "widget-index"
    build_index(corpus, index, FakeEmbedder(), params=FAKE_PARAMS)
    return index


@pytest.fixture(scope="module")
def sites(index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    api_port, host_port, other_port = free_ports(3)
    settings = Settings(cors_origins=f"http://127.0.0.1:{host_port}")
    app = create_app(settings, advisor=Advisor(load_index(index_dir), FakeEmbedder()))
    pages = tmp_path_factory.mktemp("host-site")
    with serve_app(app, api_port) as api:
        write_host_pages(pages, embed_snippet(api))
        with serve_static(pages, host_port) as host, serve_static(pages, other_port) as other:
            yield Sites(api, host, other, pages)


def embed_snippet(api: str) -> str:
    """The inline snippet exactly as the advisor's /embed page tells a site owner to paste it."""
    page = httpx.get(f"{api}/embed").text
    code = re.search(r'<code id="snippet-inline">(.*?)</code>', page, re.S)
    assert code, "no snippet on /embed"
    return html.unescape(code.group(1))


def with_attributes(snippet: str, **attrs: str) -> str:
    """The snippet with attributes of <career-advisor> set (value) or removed (empty string)."""
    for name, value in attrs.items():
        name = name.replace("_", "-")
        snippet = re.sub(rf'\s{name}="[^"]*"', "", snippet)
        if value:
            snippet = snippet.replace(f"<{WIDGET}", f'<{WIDGET} {name}="{html.escape(value)}"', 1)
    return snippet


def write_host_pages(folder: Path, snippet: str) -> None:
    page = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>'
        "<body>\n{body}\n</body></html>\n"
    )
    variants = {
        "inline": snippet,
        "linked": with_attributes(snippet, link_base="/cooking.html", k="3"),
        "modal": with_attributes(snippet, layout="modal"),
        "hostile": with_attributes(snippet, guide="hostile"),
        "bare": with_attributes(snippet, endpoint=""),
    }
    for name, body in variants.items():
        (folder / f"{name}.html").write_text(page.format(title=f"Careers: {name}", body=body))
    section = '<h2 id="step-2-boiling-pasta">Step 2: Boiling Pasta</h2><p>Bring salted water to a boil.</p>'
    (folder / "cooking.html").write_text(page.format(title="Cooking guide", body=section))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@dataclass
class Tab:
    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def box(self) -> Any:
        return self.page.locator(f"{WIDGET} [role=combobox]").first

    def focused_part(self) -> str | None:
        return self.page.evaluate(f"() => {FOCUSED_PART} ?? null")

    def wait_for_focus(self, part: str) -> None:
        """Wait (up to 2 s) until focus is on this part of the widget; a dialog's close event is async."""
        self.page.wait_for_function(f"(part) => {FOCUSED_PART} === part", arg=part, timeout=2000)


@pytest.fixture
def open_tab(browser: Any) -> Iterator[Any]:
    contexts = []

    def opener(url: str, **options: Any) -> Tab:
        from playwright.sync_api import expect

        expect.set_options(timeout=8000)
        viewport = options.pop("viewport", {"width": 900, "height": 760})
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        tab = Tab(context.new_page())
        tab.page.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
        tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
        tab.page.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        tab.page.goto(url)
        tab.page.wait_for_function(f"() => customElements.get('{WIDGET}') !== undefined")
        return tab

    yield opener
    for context in contexts:
        context.close()


def test_typing_a_question_shows_cited_results(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/inline.html")
    asked: list[str] = []
    tab.page.on("request", lambda r: "/api/v1/ask" in r.url and asked.append(r.url))
    tab.box().press_sequentially("how to boil pasta", delay=40)
    first = tab.page.locator(OPTION).first
    expect(first.locator("[part=heading]")).to_have_text("Step 2: Boiling Pasta")
    # The snippet names the guide, so the breadcrumb leaves out its title.
    expect(first.locator("[part=breadcrumb]")).to_have_text("Steps to Learn Cooking")
    # The link cites the section and, through a text fragment, its best-matching sentence.
    href = first.get_attribute("href") or ""
    assert href.startswith(f"{sites.api}/guide/cooking#step-2-boiling-pasta:~:text=Bring%20salted%20water")
    marked = {t.lower() for t in first.locator("[part=term]").all_text_contents()}
    assert {"boil", "pasta"} <= marked  # the question's words, marked in the passage
    count = tab.page.locator(OPTION).count()
    expect(tab.page.locator(f"{WIDGET} [part=message]")).to_have_text(f"{count} sections from the guide")
    expect(tab.page.locator(f"{WIDGET} [role=status]")).to_have_text(f"{count} sections from the guide")
    expect(tab.box()).to_have_attribute("aria-expanded", "true")
    assert 1 <= len(asked) <= 3, f"typing 17 characters sent {len(asked)} requests: not debounced"
    assert "q=how+to+boil+pasta" in asked[-1]
    assert tab.page.context.cookies() == []
    assert tab.errors == []


def test_without_endpoint_it_asks_the_advisor_that_served_the_script(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/bare.html")
    assert "endpoint=" not in (sites.pages / "bare.html").read_text()
    tab.box().fill("knife skills")
    first = tab.page.locator(OPTION).first
    expect(first.locator("[part=heading]")).to_have_text("Step 1: Knife Skills")
    assert (first.get_attribute("href") or "").startswith(f"{sites.api}/guide/cooking#step-1-knife-skills")
    assert tab.errors == []


def test_the_widget_adds_no_globals_to_the_host_page(sites: Sites, open_tab: Any) -> None:
    names = "() => Object.getOwnPropertyNames(window).sort()"
    tab = open_tab(f"{sites.host}/inline.html")
    with_widget = set(tab.page.evaluate(names))
    tab.page.goto(f"{sites.host}/cooking.html")  # the same site without the snippet
    assert with_widget - set(tab.page.evaluate(names)) == set()
    assert tab.errors == []


def test_arrow_keys_and_enter_follow_a_result_to_its_section(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/linked.html")
    tab.page.keyboard.press("Tab")  # keyboard only, from the top of the page
    assert tab.focused_part() == "input"
    tab.page.keyboard.type("how to boil pasta")
    options = tab.page.locator(OPTION)
    expect(options.first.locator("[part=heading]")).to_have_text("Step 2: Boiling Pasta")
    expect(options).to_have_count(3)  # k="3"
    box = tab.box()
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("aria-selected", "false")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    assert tab.errors == []
    with tab.page.expect_navigation():
        box.press("Enter")
    assert tab.page.url.split(":~:")[0] == f"{sites.host}/cooking.html#step-2-boiling-pasta"
    expect(tab.page.locator("#step-2-boiling-pasta")).to_be_in_viewport()


def test_modal_opens_by_key_and_escape_returns_focus_to_the_trigger(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/modal.html")
    dialog = tab.page.locator(f"{WIDGET} dialog")
    trigger = tab.page.locator(f"{WIDGET} [part=trigger]")
    expect(trigger).to_have_text(re.compile(STRINGS["trigger"]))
    tab.page.keyboard.press("/")
    expect(dialog).to_be_visible()
    assert tab.focused_part() == "input"
    tab.page.keyboard.type("knife skills")
    expect(tab.page.locator(OPTION).first.locator("[part=heading]")).to_have_text("Step 1: Knife Skills")
    tab.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    tab.wait_for_focus("trigger")

    tab.page.keyboard.press("Control+k")
    expect(dialog).to_be_visible()
    tab.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    tab.wait_for_focus("trigger")

    tab.page.keyboard.press("Enter")  # the focused trigger opens it again, the answer still there
    expect(dialog).to_be_visible()
    tab.page.keyboard.press("ArrowDown")
    assert tab.errors == []
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    assert tab.page.url.split(":~:")[0] == f"{sites.api}/guide/cooking#step-1-knife-skills"


def test_a_modifier_click_opens_the_section_in_a_new_tab(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/modal.html")
    tab.page.locator(f"{WIDGET} [part=trigger]").click()
    tab.page.keyboard.type("knife skills")
    first = tab.page.locator(OPTION).first
    expect(first.locator("[part=heading]")).to_have_text("Step 1: Knife Skills")
    with tab.page.context.expect_page() as new_tab:
        first.click(modifiers=["Control"])
    assert new_tab.value.url.startswith(f"{sites.api}/guide/cooking#step-1-knife-skills")
    assert tab.page.url == f"{sites.host}/modal.html"
    expect(tab.page.locator(f"{WIDGET} dialog")).to_be_visible()  # the visitor's place is kept
    with tab.page.context.expect_page() as middle:
        first.click(button="middle")
    assert middle.value.url.startswith(f"{sites.api}/guide/cooking#step-1-knife-skills")
    assert tab.errors == []


def test_html_in_a_question_or_a_passage_is_shown_as_text_and_never_runs(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/hostile.html")
    question = """salary <img src=x onerror="window.__xss='question'"><script>window.__xss=1</script>"""
    tab.box().fill(question)
    tab.box().press("Enter")
    options = tab.page.locator(OPTION)
    expect(options.first).to_be_visible()
    shown = " ".join(options.all_text_contents())
    assert """Ask early <img src=x onerror="window.__xss='passage'"> about salary.""" in shown
    assert """<script>window.__xss = "script"</script>""" in shown
    assert """Salary Negotiation <script>window.__xss = "heading"</script>""" in shown
    assert """[click me](javascript:window.__xss='link')""" in shown
    for option in options.all():
        option.hover()
    elements = tab.page.locator(WIDGET).evaluate(
        "(el) => el.shadowRoot.querySelectorAll('img, script, b, [onerror]').length"
    )
    assert elements == 0
    assert tab.box().input_value() == question
    tab.page.wait_for_timeout(200)  # an <img onerror> would have fired by now
    assert tab.page.evaluate("() => window.__xss") is None
    assert tab.dialogs == [] and tab.errors == []


def test_a_site_not_in_the_allowlist_is_refused(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    for origin in (sites.host, sites.other):
        res = httpx.get(f"{sites.api}/api/v1/ask", params={"q": "pasta"}, headers={"Origin": origin})
        allowed = res.headers.get("access-control-allow-origin")
        assert allowed == (origin if origin == sites.host else None)
    tab = open_tab(f"{sites.other}/inline.html")
    tab.box().fill("how to boil pasta")
    tab.box().press("Enter")
    expect(tab.page.locator(f"{WIDGET} [part=message]")).to_have_text(STRINGS["unreachable"])
    expect(tab.page.locator(f"{WIDGET} [part=retry]")).to_be_visible()
    expect(tab.page.locator(f"{WIDGET} [role=status]")).to_have_text(STRINGS["unreachable"])
    assert tab.page.locator(OPTION).count() == 0
    post = """(api) => fetch(api + '/api/v1/events', {method: 'POST', body: '{}',
        headers: {'content-type': 'application/json'}}).then((r) => r.status, () => 'refused')"""
    assert tab.page.evaluate(post, sites.api) == "refused"  # no event from a site not in the allowlist
    assert tab.errors and all(CORS_REFUSAL.search(e) for e in tab.errors), tab.errors
    allowed = open_tab(f"{sites.host}/inline.html")
    assert allowed.page.evaluate(post, sites.api) == 422  # sent and answered (an empty event is invalid)


def fulfil_json(route: Any, body: object, status: int = 200) -> None:
    route.fulfill(
        status=status,
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
    )


ASK = re.compile(r".*/api/v1/ask\?.*")


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": None}}


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (429, error_body("rate_limited", "slow down"), STRINGS["rateLimited"]),
        (503, error_body("index_stale", "stale"), STRINGS["serverError"]),
        (500, "<html>oops</html>", STRINGS["serverError"]),
        (422, error_body("invalid_request", "the question is too long"), "the question is too long"),
        (None, None, STRINGS["unreachable"]),  # the network is down
    ],
)
def test_errors_say_what_happened_and_retry_recovers(
    sites: Sites, open_tab: Any, status: int | None, body: object, message: str
) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/inline.html")
    if status is None:
        tab.page.route(ASK, lambda route: route.abort("internetdisconnected"))
    else:
        tab.page.route(ASK, lambda route: fulfil_json(route, body, status))
    tab.box().fill("how to boil pasta")
    tab.box().press("Enter")
    expect(tab.page.locator(f"{WIDGET} [part=message]")).to_have_text(message)
    expect(tab.page.locator(f"{WIDGET} [part=status]")).to_have_attribute("data-kind", "error")
    tab.page.unroute(ASK)
    tab.page.locator(f"{WIDGET} [part=retry]").click()
    expect(tab.page.locator(OPTION).first.locator("[part=heading]")).to_have_text("Step 2: Boiling Pasta")
    expect(tab.page.locator(f"{WIDGET} [part=retry]")).to_be_hidden()
    unexpected = [e for e in tab.errors if not re.search(r"status of (429|500|503|422)|ERR_INTERNET", e)]
    assert unexpected == []


def test_a_slow_old_answer_never_replaces_a_newer_one(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/inline.html")
    held: list[Any] = []

    def hold_the_first(route: Any) -> None:
        if "bread" in route.request.url and not held:
            held.append(route)  # answered only after the newer question's answer is shown
        else:
            route.continue_()

    tab.page.route(ASK, hold_the_first)
    tab.box().fill("baking bread")
    tab.box().press("Enter")
    tab.page.wait_for_function("() => true")
    tab.box().fill("knife skills")
    tab.box().press("Enter")
    heading = tab.page.locator(OPTION).first.locator("[part=heading]")
    expect(heading).to_have_text("Step 1: Knife Skills")
    assert held, "the first request never reached the network"
    stale = {"answered": True, "results": [{"section": "STALE", "text": "old"}], "next_steps": []}
    with contextlib.suppress(Exception):  # the widget already aborted it, which is the point
        fulfil_json(held[0], stale)
    tab.page.wait_for_timeout(300)
    expect(heading).to_have_text("Step 1: Knife Skills")
    assert "STALE" not in " ".join(tab.page.locator(OPTION).all_text_contents())


def future_answer(api: str) -> dict[str, Any]:
    """An answer with the fields a later API adds: highlights, next steps, answered=false."""
    text = "Bring salted water to a rolling boil. Cook the pasta until al dente. Drain it and toss with oil."

    def hit(section: str, anchor: str, **extra: Any) -> dict[str, Any]:
        return {
            "section": section,
            "breadcrumb": ["Cooking Basics", "Steps to Learn Cooking", section],
            "guide": "cooking",
            "anchor": anchor,
            "url": f"/guide/cooking#{anchor}",
            "text": text,
            "score": 0.5,
            "why": {"dense_rank": 1, "bm25_rank": 1, "matched_terms": ["pasta"], "window": [0, len(text)]},
        } | extra

    return {
        "question": "pasta",
        "answered": False,
        "mode": "hybrid",
        "results": [
            hit("Step 2: Boiling Pasta", "step-2-boiling-pasta", highlights=[{"start": 38, "end": 68}]),
            hit("<b>Bold</b> claim", "x", url="javascript:window.__xss=1"),
        ],
        "next_steps": [hit("Step 3: Baking Bread", "step-3-baking-bread")],
        "index": {"version": "v", "model": "m"},
    }


def test_highlights_next_steps_and_no_good_answer_are_shown(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/inline.html")
    tab.page.route(ASK, lambda route: fulfil_json(route, future_answer(sites.api)))
    tab.box().fill("pasta")
    tab.box().press("Enter")
    options = tab.page.locator(OPTION)
    expect(options).to_have_count(3)
    expect(tab.page.locator(f"{WIDGET} [part=message]")).to_have_text(STRINGS["notAnswered"])
    first = options.first
    highlight = first.locator("[part=excerpt] > [part=highlight]")
    expect(highlight).to_have_text("Cook the pasta until al dente.")
    assert first.locator("[part=excerpt] > *").first.get_attribute("part") == "highlight"  # shown first
    href = first.get_attribute("href")
    fragment = ":~:text=Cook%20the%20pasta%20until%20al%20dente."
    assert href == f"{sites.api}/guide/cooking#step-2-boiling-pasta{fragment}"
    hostile = options.nth(1)
    assert hostile.get_attribute("href") is None  # a javascript: URL never becomes a link
    expect(hostile.locator("[part=heading]")).to_have_text("<b>Bold</b> claim")
    group = tab.page.locator(f"{WIDGET} [role=group]")
    expect(group.locator("[part=group-label]")).to_have_text(STRINGS["nextStep"])
    expect(group.locator("[role=option] [part=heading]")).to_have_text("Step 3: Baking Bread")
    for _ in range(3):
        tab.box().press("ArrowDown")
    expect(group.locator("[role=option]")).to_have_attribute("aria-selected", "true")
    tab.box().press("ArrowDown")  # wraps around
    expect(first).to_have_attribute("aria-selected", "true")
    assert tab.page.evaluate("() => window.__xss") is None
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.locator(WIDGET).screenshot(path=SHOTS / "answer-states-light.png")
    assert tab.errors == []


def test_every_string_can_be_replaced(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.host}/modal.html")
    widget = tab.page.locator(WIDGET)
    widget.evaluate("(el) => el.setAttribute('strings', JSON.stringify({trigger: 'Frag den Leitfaden'}))")
    expect(tab.page.locator(f"{WIDGET} [part=trigger]")).to_have_text(re.compile("Frag den Leitfaden"))
    german = {key: f"DE:{key}" for key in STRINGS}
    widget.evaluate("(el, s) => { el.strings = s; }", german)
    tab.page.locator(f"{WIDGET} [part=trigger]").click()
    expect(tab.page.locator(f"{WIDGET} [part=label]")).to_have_text("DE:title")
    expect(tab.box()).to_have_attribute("placeholder", "DE:placeholder")
    expect(tab.page.locator(f"{WIDGET} [part=close]")).to_have_attribute("aria-label", "DE:close")
    expect(tab.page.locator(f"{WIDGET} [part=footer]")).to_contain_text("DE:footer")
    tab.box().fill("how to boil pasta")
    expect(tab.page.locator(f"{WIDGET} [part=message]")).to_have_text(re.compile("^DE:results$"))
    defaults = tab.page.evaluate(f"() => customElements.get('{WIDGET}').defaults")
    assert defaults == STRINGS
    assert tab.errors == []


def overflow(tab: Tab) -> int:
    return int(tab.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


def test_works_on_a_360_pixel_wide_phone(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    phone = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
    tab = open_tab(f"{sites.host}/inline.html", **phone)
    tab.box().fill("how to boil pasta")
    expect(tab.page.locator(OPTION).first).to_be_visible()
    assert overflow(tab) <= 0
    assert tab.box().bounding_box()["width"] >= 200
    tab = open_tab(f"{sites.host}/modal.html", **phone)
    tab.page.locator(f"{WIDGET} [part=trigger]").tap()
    tab.box().fill("how to boil pasta")
    expect(tab.page.locator(OPTION).first).to_be_visible()
    box = tab.page.locator(f"{WIDGET} [part=box]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 740
    assert overflow(tab) <= 0
    tab.page.screenshot(path=SHOTS / "modal-360-light.png")
    assert tab.errors == []


def background(tab: Tab) -> str:
    box = tab.page.locator(f"{WIDGET} [part=box]")
    return str(box.evaluate("(el) => getComputedStyle(el).backgroundColor"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_in_light_and_dark(sites: Sites, open_tab: Any, scheme: str) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    tab = open_tab(f"{sites.host}/inline.html", color_scheme=scheme)
    tab.box().fill("how to boil pasta")
    expect(tab.page.locator(OPTION)).not_to_have_count(0)
    tab.box().press("ArrowDown")
    assert background(tab) == "rgb(255, 255, 255)"  # light by default, whatever the visitor's system
    tab.page.locator(WIDGET).evaluate("(el) => el.setAttribute('theme', 'auto')")  # opts in to the system's
    assert background(tab) == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(22, 26, 31)")
    tab.page.screenshot(path=SHOTS / f"inline-{scheme}.png", full_page=True)
    other = "dark" if scheme == "light" else "light"
    tab.page.locator(WIDGET).evaluate("(el, theme) => el.setAttribute('theme', theme)", other)
    assert background(tab) == ("rgb(255, 255, 255)" if other == "light" else "rgb(22, 26, 31)")

    tab = open_tab(f"{sites.host}/modal.html", color_scheme=scheme)
    tab.page.locator(f"{WIDGET} [part=trigger]").screenshot(path=SHOTS / f"trigger-{scheme}.png")
    tab.page.keyboard.press("/")
    tab.page.keyboard.type("what should I know about knife skills")
    expect(tab.page.locator(OPTION)).not_to_have_count(0)
    tab.page.keyboard.press("ArrowDown")
    tab.page.screenshot(path=SHOTS / f"modal-{scheme}.png")
    assert tab.errors == []


def test_the_embed_page_previews_both_layouts(sites: Sites, open_tab: Any) -> None:
    from playwright.sync_api import expect

    tab = open_tab(f"{sites.api}/embed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=SHOTS / "embed-top-light.png")
    inline = tab.page.locator("#preview-inline [role=combobox]")
    inline.fill("how to boil pasta")
    expect(tab.page.locator("#preview-inline [role=option]").first).to_be_visible()
    tab.page.get_by_label("dark").check()
    expect(tab.page.locator("#preview-inline")).to_have_attribute("theme", "dark")
    expect(tab.page.locator("#preview-modal")).to_have_attribute("theme", "dark")
    expect(tab.page.locator("button[data-copy=snippet-inline]")).to_be_visible()
    tab.page.locator("body").press("/")  # the inline preview has shortcut="none": the modal takes it
    expect(tab.page.locator("#preview-modal dialog")).to_be_visible()
    tab.page.keyboard.press("Escape")
    tab.page.locator("#preview").screenshot(path=SHOTS / "embed-preview-dark.png")
    assert tab.errors == []
    phone = open_tab(f"{sites.api}/embed", viewport={"width": 360, "height": 740}, color_scheme="dark")
    assert overflow(phone) <= 0
    phone.page.screenshot(path=SHOTS / "embed-360-dark.png")
