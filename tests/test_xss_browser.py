"""XSS in the real browser: hostile guides and questions rendered by the guide and ask pages stay inert
text, even with the page's Content-Security-Policy switched off (the widget: test_widget_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from advisor.settings import Settings
from advisor.web.app import create_app
from tests.conftest import fixture_advisor
from tests.servers import CHROMIUM, HARDENING_PORTS, chromium, free_ports, serve_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium"),
]

HOSTILE_QUESTION = "<script>alert('q')</script><img src=x onerror=alert('q2')> javascript link salary"
PAGES = [
    "/guide/hostile-links",
    "/guide/hostile",
    "/?q=" + quote("javascript link raw html iframe"),  # excerpts of the hostile passages
    "/?q=" + quote("salary offer script"),
    "/?q=" + quote(HOSTILE_QUESTION),  # the question itself carries markup
    "/?q=salary&guide=" + quote("<img src=x onerror=alert('guide')>"),  # so does the guide filter
]

# Every element gets the events an inline handler would listen for; a link is followed only if it
# leads to script (a safe link would navigate away; there must be none of the other kind).
PROVOKE = """() => {
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'focus', 'click', 'toggle', 'load', 'error']) {
      if (el.tagName === 'A' && type === 'click' && /^https?:$/.test(el.protocol)) continue;
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
}"""

INVENTORY = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
    scripts: document.scripts.length,
    // the page's own icons (the vote buttons' svg.thumb) are ours; any other embedded element is not
    embeds: document.querySelectorAll(
      'main :is(iframe, svg:not(.thumb), object, embed), meta[http-equiv]').length,
    linkProtocols: [...new Set([...document.links].map((a) => a.protocol))],
    imageSources: [...document.images].map((img) => img.src),
    formActions: [...document.forms].map((form) => form.action),
    styles: document.querySelectorAll('main [style]').length,
    xss: window.__xss ?? null,
  };
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    guides = ["cooking.md", "hostile.md", "hostile-links.md"]
    advisor = fixture_advisor(tmp_path_factory.mktemp("xss"), guides)
    app = create_app(Settings(), advisor=advisor)
    with serve_app(app, free_ports(1, HARDENING_PORTS)[0]) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("csp", ["enforced", "bypassed"])
@pytest.mark.parametrize("path", PAGES)
def test_hostile_guides_and_questions_are_inert_in_the_browser(
    server: str, browser: Any, path: str, csp: str
) -> None:
    context = browser.new_context(bypass_csp=csp == "bypassed")
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(server + path)
    assert response is not None and response.status in (200, 404)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "object-src 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"

    page.evaluate(PROVOKE)
    page.wait_for_timeout(300)  # an <img onerror> or a javascript: navigation would have run by now
    found = page.evaluate(INVENTORY)
    assert dialogs == [] and found["xss"] is None
    if response.status == 404:  # the page itself (an unknown guide filter) is logged as a failed load
        errors = [e for e in errors if not e.startswith("Failed to load resource: the server responded")]
    assert errors == [], errors  # not even a CSP report: nothing tried to run
    assert found["handlers"] == [] and found["scripts"] == 0 and found["embeds"] == 0 and found["styles"] == 0
    assert set(found["linkProtocols"]) <= {"http:", "https:"}  # no javascript:, vbscript: or data: link
    assert all(src.startswith(server + "/") for src in found["imageSources"] + found["formActions"])
    assert page.url == server + path.replace("'", "%27")  # nothing navigated away
    context.close()


def test_the_hostile_guide_page_shows_the_markup_as_text(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/guide/hostile-links")
    text = page.inner_text("main")
    for shown in (
        "[javascript link](javascript:alert('link'))",
        "<javascript:alert('autolink')>",
        """<iframe src="javascript:alert('iframe')"></iframe>""",
        """<a href="javascript:alert('raw-link')">a raw link</a>""",
        "Inline HTML <img src=x onerror=alert('heading')>",
    ):
        assert shown in text
    safe = page.locator("main a", has_text="safe link")
    assert safe.get_attribute("href") == "https://example.org/careers"  # real links still work
    context.close()


def test_the_ask_page_shows_a_hostile_question_as_text(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/?q=" + quote(HOSTILE_QUESTION))
    assert page.locator("q.asked").first.inner_text() == HOSTILE_QUESTION
    assert page.input_value("#q") == HOSTILE_QUESTION
    assert HOSTILE_QUESTION in page.title()
    context.close()
