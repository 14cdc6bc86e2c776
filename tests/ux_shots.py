"""Screenshots for issue 21 (what the visitor sees): the real index and model, in headless Chromium.

Run from the repository root after `advisor build`:

    python -m tests.ux_shots eval/reports/ux/after

It writes, at 1280 and 375 px: the salary question, "I finished step 5, what next", the no-answer
case on the ask page, and the widget on a hostile host page (asked the salary question), plus the
page heights it measured (heights.txt), so a before and an after can be compared by eye and by number.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote_plus

import httpx

from tests.servers import chromium, free_ports, serve_app, serve_static

QUESTIONS = {
    "salary": "how much does a senior backend engineer earn",
    "what-next": "I finished step 5, what next",
    "no-answer": "best pizza in naples",
}
WIDTHS = (1280, 375)
HOSTILE_CSS = """
html{font-size:62.5% !important}
body{text-transform:uppercase !important;letter-spacing:3px !important;font:1.4rem/1.2 Georgia,serif;
  color:#7a0000 !important;background:#fff8e7}
*{margin:0 !important;padding:0 !important;box-sizing:content-box !important;border-radius:0 !important}
input,button{font-size:1rem !important;line-height:1 !important}
a{color:hotpink !important}
"""


def hostile_page(snippet: str, title: str = "A hostile host") -> str:
    """A host page whose CSS does everything a careless site does to its children."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{HOSTILE_CSS}</style></head><body>"
        "<main><h1>Careers at Example</h1><p>Ask our guide anything about the backend career.</p>"
        f"{snippet}<p>The rest of the host page continues here.</p></main></body></html>\n"
    )


def snippet_of(api: str) -> str:
    page = httpx.get(f"{api}/embed").text
    code = re.search(r'<code id="snippet-inline">(.*?)</code>', page, re.S)
    assert code, "no snippet on /embed"
    return html.unescape(code.group(1))


def main(out: Path) -> None:
    from advisor.runtime import open_advisor
    from advisor.settings import Settings
    from advisor.web.app import create_app

    out.mkdir(parents=True, exist_ok=True)
    api_port, host_port = free_ports(2)
    heights: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(cors_origins=f"http://127.0.0.1:{host_port}", data_dir=Path(folder))
        app = create_app(settings, advisor=open_advisor(settings))
        with serve_app(app, api_port) as api:
            shoot(api, host_port, Path(folder), out, heights)
    (out / "heights.txt").write_text("\n".join(heights) + "\n")
    print("\n".join(heights))


def shoot(api: str, host_port: int, folder: Path, out: Path, heights: list[str]) -> None:
    (folder / "hostile.html").write_text(hostile_page(snippet_of(api)))
    with serve_static(folder, host_port) as host, chromium() as browser:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 740})
            page = context.new_page()
            for name, question in QUESTIONS.items():
                page.goto(f"{api}/?q={quote_plus(question)}")
                page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
                height = page.evaluate("document.documentElement.scrollHeight")
                heights.append(f"{name}-{width}: {height} px")
            page.goto(f"{host}/hostile.html")
            page.wait_for_function("() => customElements.get('career-advisor') !== undefined")
            page.screenshot(path=out / f"hostile-empty-{width}.png", full_page=True)
            page.locator("career-advisor [role=combobox]").first.focus()  # before the first question
            page.wait_for_timeout(500)  # the guide's headings, asked once
            page.screenshot(path=out / f"hostile-focused-{width}.png", full_page=True)
            page.locator("career-advisor [role=combobox]").first.fill(QUESTIONS["salary"])
            page.locator("career-advisor [role=option]").first.wait_for()
            page.wait_for_timeout(300)
            page.screenshot(path=out / f"hostile-{width}.png", full_page=True)
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "eval/reports/ux/after"))
