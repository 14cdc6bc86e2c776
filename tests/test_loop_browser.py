"""The site owner's loop in a real browser: asking, clicking and voting through the widget (on a page of
another origin) and through the ask page (JavaScript off) reach the insights, and nothing more is sent."""

from __future__ import annotations

import html
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from advisor.answer.advisor import Advisor
from advisor.index.build import build_index
from advisor.index.load import load_index
from advisor.insights.report import Report, report
from advisor.settings import Settings
from advisor.web.app import create_app
from tests import widget_js
from tests.conftest import FAKE_PARAMS, FIXTURES, FakeEmbedder
from tests.servers import CHROMIUM, chromium, free_ports, serve_app, serve_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium"),
]
WIDGET = "career-advisor"
OPTION = f"{WIDGET} [role=option]"
STRINGS = widget_js.strings()
TOKEN = "loop-admin-token-0123456789"
QUESTION = "how to boil pasta"
SHOTS = Path(__file__).resolve().parent.parent / "eval" / "reports" / "widget"


@dataclass
class Loop:
    api: str  # the advisor (real app, real uvicorn), recording insights
    host: str  # a careers site of another origin, in the CORS allowlist, with the widget's snippet
    app: Any

    def insights(self, done: Callable[[Report], bool] = lambda r: True, timeout: float = 5.0) -> Report:
        """The insights once `done` holds (events the browser sent may still be on their way)."""
        deadline = time.monotonic() + timeout
        while True:
            assert self.app.state.recorder.flush()
            found = report(self.app.state.recorder.store, days=1, now=int(time.time()) + 60)
            if done(found) or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("loop-corpus")
    for name in ("cooking.md", "gardening.md"):
        shutil.copy(FIXTURES / name, corpus / name)
    build_index(corpus, corpus.parent / "loop-index", FakeEmbedder(), params=FAKE_PARAMS)
    return corpus.parent / "loop-index"


@pytest.fixture
def loop(index_dir: Path, tmp_path: Path) -> Iterator[Loop]:
    api_port, host_port = free_ports(2)
    settings = Settings(
        cors_origins=f"http://127.0.0.1:{host_port}", data_dir=tmp_path / "data", admin_token=TOKEN
    )
    app = create_app(settings, advisor=Advisor(load_index(index_dir), FakeEmbedder()))
    with serve_app(app, api_port) as api:
        page = httpx.get(f"{api}/embed").text  # the snippet exactly as /embed gives it to a site owner
        snippet = html.unescape(re.findall(r'<code id="snippet-inline">(.*?)</code>', page, re.S)[0])
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / "inline.html").write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Careers</title></head>'
            f"<body>{snippet}</body></html>"
        )
        with serve_static(tmp_path / "site", host_port) as host:
            yield Loop(api, host, app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def focused_part(page: Any) -> str | None:
    return page.evaluate(
        f"() => document.querySelector('{WIDGET}').shadowRoot.activeElement?.getAttribute('part')"
    )


def test_the_widget_reports_clicks_and_votes_to_the_insights(loop: Loop, browser: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=8000)
    context = browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: r.url.endswith("/api/v1/events") and r.method == "POST" and sent.append(r))
    answers: list[Any] = []
    page.on("response", lambda r: "/api/v1/ask?" in r.url and answers.append(r))
    page.goto(f"{loop.host}/inline.html")
    page.wait_for_function(f"() => customElements.get('{WIDGET}') !== undefined")

    box = page.locator(f"{WIDGET} [role=combobox]")
    box.fill(QUESTION)
    box.press("Enter")
    options = page.locator(OPTION)
    expect(options.first.locator("[part=heading]")).to_have_text("Step 2: Boiling Pasta")
    assert len(answers) == 1
    body = answers[0].json()
    answer_id, results = body["answer_id"], body["results"]
    assert answers[0].headers["cache-control"].startswith("private")
    rows = page.locator(f"{WIDGET} [part=result]")
    expect(rows).to_have_count(len(results))
    # The results as shown: grouped under their parent section, so not in rank order; the best leads.
    by_heading = {r["breadcrumb"][-1]: r for r in results}
    shown = [by_heading[h] for h in rows.locator("[part=heading]").all_text_contents()]
    rank = [results.index(r) + 1 for r in shown]  # what a click or a vote on each row reports
    assert rank[0] == 1 and sorted(rank) == list(range(1, len(results) + 1))
    section = [f"{r['guide']}/{r['anchor']}" for r in shown]

    # Thumbs up on the first result, by mouse: thanks in its place, announced, focus kept in the box.
    rows.nth(0).locator("[part=vote-up]").click()
    expect(rows.nth(0).locator("[part=thanks]")).to_have_text(STRINGS["thanks"])
    expect(page.locator(f"{WIDGET} [role=status]")).to_have_text(STRINGS["thanks"])
    assert focused_part(page) == "input"
    # Thumbs down on the second, keyboard only: the votes are one Tab stop after "See all results", now on
    # the first result not voted on; the right arrow moves to its thumbs down, Enter votes, focus lands
    # in the reason, Enter sends.
    down = rows.nth(1).locator("[part=vote-down]")
    expect(down).to_have_attribute("aria-label", STRINGS["voteDown"])
    page.keyboard.press("Tab")
    assert focused_part(page) == "see-all"
    page.keyboard.press("Tab")
    expect(rows.nth(1).locator("[part=vote-up]")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(down).to_be_focused()
    page.keyboard.press("Enter")
    reason = page.locator(f"{WIDGET} [part=reason]")
    expect(reason).to_be_focused()
    expect(reason).to_have_accessible_name(STRINGS["why"])  # its visible label
    reason.press_sequentially("only pasta, write to jo@example.org")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(WIDGET).screenshot(path=SHOTS / "votes-light.png")
    reason.press("Enter")
    expect(rows.nth(1).locator("[part=thanks]")).to_be_visible()
    expect(reason).to_have_count(0)
    assert focused_part(page) == "input"

    # A Ctrl-click opens the third result shown in a new tab; then arrow keys and Enter follow the second.
    with context.expect_page() as new_tab:
        options.nth(2).click(modifiers=["Control"])
    new_tab.value.close()
    box.press("ArrowUp")  # from the third, which the pointer made the active one, to the second
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.startswith(f"{loop.api}{shown[1]['url']}")

    found = loop.insights(lambda r: r.totals.clicks >= 2)
    assert found.totals.asks == 1 and [q.question for q in found.top_questions] == [QUESTION]
    assert found.totals.clicks == 2 and (found.totals.votes_up, found.totals.votes_down) == (1, 1)
    clicked = {row.rank: row.clicked for row in found.click_through}
    assert clicked[rank[0]] == 0 and clicked[rank[1]] == 1 and clicked[rank[2]] == 1
    votes = {(f.section, f.vote, f.reason) for f in found.feedback}
    assert votes == {(section[0], "up", None), (section[1], "down", "only pasta, write to <email>")}

    # Exactly what was sent: the answer's id and what the visitor did; no cookie, nothing else.
    events = [json.loads(r.post_data) for r in sent]
    assert events == [
        {"type": "feedback", "answer_id": answer_id, "rank": rank[0], "section": section[0], "vote": "up"},
        {
            "type": "feedback",
            "answer_id": answer_id,
            "rank": rank[1],
            "section": section[1],
            "vote": "down",
            "reason": "only pasta, write to jo@example.org",
        },
        {"type": "click", "answer_id": answer_id, "rank": rank[2], "section": section[2]},
        {"type": "click", "answer_id": answer_id, "rank": rank[1], "section": section[1]},
    ]
    assert all(
        r.headers.get("content-type") == "application/json" and "cookie" not in r.headers for r in sent
    )
    assert context.cookies() == [] and errors == []
    admin = httpx.get(f"{loop.api}/admin/insights", headers={"Authorization": f"Bearer {TOKEN}"})
    assert QUESTION in admin.text and "only pasta, write to &lt;email&gt;" in admin.text
    context.close()


def test_an_answer_without_an_answer_id_shows_no_votes_and_sends_nothing(loop: Loop, browser: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda r: "/api/v1/events" in r.url and sent.append(r.url))

    def without_id(route: Any) -> None:
        answer = {k: v for k, v in httpx.get(route.request.url).json().items() if k != "answer_id"}
        headers = {"content-type": "application/json", "access-control-allow-origin": "*"}
        route.fulfill(status=200, body=json.dumps(answer), headers=headers)

    page.route(re.compile(r".*/api/v1/ask\?.*"), without_id)  # as a site that records nothing answers
    page.goto(f"{loop.host}/inline.html")
    page.wait_for_function(f"() => customElements.get('{WIDGET}') !== undefined")
    page.locator(f"{WIDGET} [role=combobox]").fill(QUESTION)
    first = page.locator(OPTION).first
    expect(first.locator("[part=heading]")).to_have_text("Step 2: Boiling Pasta")
    assert page.locator(f"{WIDGET} [part=vote-up], {WIDGET} [part=result]").count() == 0
    with context.expect_page() as new_tab:
        first.click(modifiers=["Control"])
    new_tab.value.close()
    page.wait_for_timeout(200)
    assert sent == []
    context.close()


def test_the_listbox_holds_only_options_and_the_vote_buttons_are_named(loop: Loop, browser: Any) -> None:
    """The accessibility tree Chromium builds: the listbox owns the results, the buttons sit beside it."""
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{loop.host}/inline.html")
    page.wait_for_function(f"() => customElements.get('{WIDGET}') !== undefined")
    page.locator(f"{WIDGET} [role=combobox]").fill(QUESTION)
    # The answer, not the example questions the box may show when it takes focus, before the text is in.
    expect(page.locator(OPTION).first.locator("[part=heading]")).to_have_text("Step 2: Boiling Pasta")
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}
    role = lambda n: n.get("role", {}).get("value")  # noqa: E731
    name = lambda n: n.get("name", {}).get("value", "")  # noqa: E731
    (listbox,) = [n for n in nodes if role(n) == "listbox"]
    owned = [by_id[c] for c in listbox.get("childIds", []) if c in by_id]
    assert owned and {role(n) for n in owned} <= {"option", "group"}
    assert sum(role(n) == "option" for n in owned) == page.locator(f"{WIDGET} [part=result]").count()
    buttons = [
        n for n in nodes if role(n) == "button" and name(n) in (STRINGS["voteUp"], STRINGS["voteDown"])
    ]
    assert len(buttons) == 2 * len([n for n in owned if role(n) == "option"])
    # Each button's description is the heading of the result it rates, in order, two per result.
    headings = page.locator(f"{WIDGET} [part=result] [part=heading]").all_text_contents()
    assert [b.get("description", {}).get("value") for b in buttons] == [h for h in headings for _ in "ud"]
    context.close()


def test_the_ask_page_without_javascript_records_the_ask_a_click_and_a_vote(loop: Loop, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{loop.api}/")
    page.fill("#q", QUESTION)
    page.press("#q", "Enter")
    page.wait_for_load_state()
    results_url = page.url
    # Each result's feedback is one row: "Yes", "No" and "Why not?", the reason folded away until asked for.
    cards = page.locator("ol.hits > li")
    assert cards.locator(".vote form.vote-row").count() == cards.count() > 2
    assert cards.locator("details.why[open]").count() == 0 and not page.locator("#why-1").is_visible()

    # A click on the second result: recorded by /go, which lands on the section.
    second = page.locator("ol.hits h3 a").nth(1)
    heading = second.inner_text()
    with page.expect_navigation():
        second.click()
    parts = urlsplit(page.url)
    landed = page.locator(f"[id='{unquote(parts.fragment.split(':~:')[0])}']")
    assert parts.path.startswith("/guide/") and landed.inner_text().startswith(heading)
    # Back shows the same results from the browser's cache: the same ask, not a new one.
    page.go_back()
    assert page.url == results_url

    # A vote on the first result, keyboard only, from its "Yes": Tab to "No" (focus shown), Tab to "Why
    # not?", Enter opens it, Tab into the reason, and Enter there sends a "no" with that reason.
    def active() -> list[str]:
        return page.evaluate(
            "() => { const a = document.activeElement;"
            " return [a.tagName, a.id || a.textContent.trim(), getComputedStyle(a).outlineStyle]; }"
        )

    cards.first.locator("form.vote-row button[value=up]").focus()
    page.keyboard.press("Tab")
    assert active() == ["BUTTON", "No", "solid"]
    page.keyboard.press("Tab")
    assert active() == ["SUMMARY", "Why not?", "solid"]
    page.keyboard.press("Enter")
    reason = page.locator("#why-1")
    assert reason.is_visible()
    page.keyboard.press("Tab")
    assert active()[:2] == ["INPUT", "why-1"]
    assert page.url == results_url  # nothing sent yet
    page.keyboard.type("too short")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).fragment == "thanks" and "voted=1" in page.url
    thanks = page.locator("#thanks")
    assert thanks.is_visible() and "Thanks for your feedback" in thanks.inner_text()
    assert cards.locator(".vote form.vote-row").count() == cards.count() - 1  # the thanks took its place
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "ask-page-thanks-360.png")

    found = loop.insights()
    assert found.totals.asks == 1 and [q.question for q in found.top_questions] == [QUESTION]
    assert found.totals.clicks == 1 and {r.rank: r.clicked for r in found.click_through}[2] == 1
    (vote,) = found.feedback
    assert (vote.section, vote.vote, vote.reason) == ("cooking/step-2-boiling-pasta", "down", "too short")
    assert context.cookies() == []
    context.close()
