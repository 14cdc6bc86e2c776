"""The pages in a real browser (headless Chromium) against the real uvicorn server, JavaScript off."""

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web.app import create_app
from tests.servers import CHROMIUM, chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(real_corpus_advisor: Advisor) -> Iterator[str]:
    """The app served by uvicorn on a free port, in a thread."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings(), advisor=real_corpus_advisor)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


LANDING = """(anchor) => {
  const heading = document.getElementById(anchor);
  const box = heading.getBoundingClientRect();
  const section = heading.closest('.section');
  const target = document.querySelector(':target');
  const other = [...document.querySelectorAll('.section')].find((s) => s !== section);
  const look = (el) => getComputedStyle(el).backgroundColor + ' ' + getComputedStyle(el).borderLeftColor;
  return {
    headingInView: box.bottom > 0 && box.top < window.innerHeight,
    sectionLook: look(section),
    otherSectionLook: look(other),
    label: getComputedStyle(heading, '::after').content,
    targetInSection: !!target && section.contains(target),
    targetText: target ? target.textContent : '',
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@pytest.mark.parametrize("width", [1280, 360])
def test_ask_then_follow_a_citation_without_javascript(server: str, browser, width: int) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.fill("#q", "what should I learn after SQL")
    page.press("#q", "Enter")  # a plain GET form: no script involved
    page.wait_for_load_state()
    assert "q=what+should+I+learn+after+SQL" in page.url
    assert page.locator("ol.hits > li").count() == 5 and page.locator("mark").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    citation = page.locator("ol.hits h3 a").first
    go = urlsplit(citation.get_attribute("href") or "")
    assert go.path == "/go"  # through the advisor, which records the click, then to the section
    sentence = parse_qs(go.query)["t"][0]
    heading = citation.inner_text()
    with page.expect_response(lambda r: "/go?" in r.url) as redirect:
        citation.click()
    href = redirect.value.headers["location"]
    page.wait_for_load_state()
    page.wait_for_timeout(200)  # scrolling to the fragment
    assert page.url.startswith(server + href.split(":~:")[0])
    anchor = unquote(href.split("#")[1].split(":~:")[0])
    landed = page.evaluate(LANDING, anchor)
    assert page.locator(f"[id='{anchor}']").inner_text().startswith(heading)
    assert landed["headingInView"], "the cited heading is not on screen"
    assert landed["sectionLook"] != landed["otherSectionLook"], "the cited section is not marked"
    assert landed["label"] == '"Linked section"'
    assert landed["targetInSection"]
    # Chromium follows the text fragment: the matched sentence's block becomes the target
    assert unquote(href.split(":~:text=")[1]) == sentence
    assert sentence in " ".join(landed["targetText"].split())
    assert landed["overflow"] <= 0
    context.close()


def test_a_question_with_markup_stays_text_in_the_browser(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    page.fill("#q", "<script>alert(1)</script><img src=x onerror=alert(2)>")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert dialogs == []
    assert (
        page.locator("q.asked").first.inner_text() == "<script>alert(1)</script><img src=x onerror=alert(2)>"
    )
    context.close()
