"""The widget's server side: script serving and caching, the CORS allowlist, the /embed page and its docs."""

import gzip
import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web.app import create_app
from tests import widget_js

ROOT = Path(__file__).resolve().parent.parent
SCRIPT_BYTES = widget_js.SCRIPT.read_bytes()


def make_client(advisor: Advisor, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(**settings), advisor=advisor), raise_server_exceptions=False)


@pytest.fixture
def client(tiny_advisor: Advisor) -> TestClient:
    with make_client(tiny_advisor) as c:
        yield c


def versioned_url(client: TestClient) -> str:
    page = client.get("/embed").text
    match = re.search(r'<script src="(/widget/advisor-widget\.[0-9a-f]{12}\.js)" defer>', page)
    assert match, "the /embed page does not load the versioned widget script"
    return match.group(1)


def test_versioned_script_is_immutable_and_identical_to_the_file(client: TestClient) -> None:
    res = client.get(versioned_url(client), headers={"Accept-Encoding": "identity"})
    assert res.status_code == 200
    assert res.content == SCRIPT_BYTES
    assert res.headers["content-type"].startswith("text/javascript")
    assert res.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert res.headers["access-control-allow-origin"] == "*"  # public, whatever the API allowlist
    assert "content-encoding" not in res.headers


def test_unversioned_script_revalidates_with_an_etag(client: TestClient) -> None:
    res = client.get("/widget/advisor-widget.js")
    assert res.status_code == 200 and res.content == SCRIPT_BYTES
    assert "max-age=300" in res.headers["cache-control"]
    etag = res.headers["etag"]
    assert etag.strip('"') in versioned_url(client)  # one version, two names
    again = client.get("/widget/advisor-widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_script_is_sent_gzipped_to_browsers_that_accept_it(client: TestClient) -> None:
    res = client.get("/widget/advisor-widget.js", headers={"Accept-Encoding": "gzip, br"})
    assert res.headers["content-encoding"] == "gzip"
    assert res.content == SCRIPT_BYTES  # httpx decodes it
    assert int(res.headers["content-length"]) == len(gzip.compress(SCRIPT_BYTES, 9, mtime=0))
    refused = client.get("/widget/advisor-widget.js", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_an_old_version_redirects_to_the_current_one(client: TestClient) -> None:
    res = client.get("/widget/advisor-widget.000000000000.js", follow_redirects=False)
    assert res.status_code == 302
    assert res.headers["location"].endswith(versioned_url(client))
    assert client.get("/widget/advisor-widget.000000000000.js").content == SCRIPT_BYTES


@pytest.mark.parametrize(
    "path", ["/widget/nothing.js", "/widget/..%2Fadvisor%2Fsettings.py", "/widget/settings.0123456789ab.py"]
)
def test_unknown_widget_files_are_404_in_the_error_shape(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"


def ask_from(client: TestClient, origin: str) -> dict[str, str]:
    res = client.get("/api/v1/ask", params={"q": "pasta"}, headers={"Origin": origin})
    assert res.status_code == 200
    return dict(res.headers)


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://127.0.0.1:8000", "http://[::1]:3000"])
def test_development_default_lets_local_pages_call_the_api(client: TestClient, origin: str) -> None:
    assert ask_from(client, origin)["access-control-allow-origin"] == origin


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://localhost",
        "http://localhost.evil.example:80",
        "https://localhost:8000",
        "http://localhost:80.evil.example",
        "null",
    ],
)
def test_other_origins_get_no_cors_headers(client: TestClient, origin: str) -> None:
    headers = ask_from(client, origin)
    assert not [h for h in headers if h.startswith("access-control-")]


def test_configured_allowlist_with_a_wildcard_subdomain(tiny_advisor: Advisor) -> None:
    with make_client(tiny_advisor, cors_origins="https://careers.example.org/, https://*.jobs.example") as c:
        assert ask_from(c, "https://careers.example.org")["access-control-allow-origin"]
        assert (
            ask_from(c, "https://eu.jobs.example")["access-control-allow-origin"] == "https://eu.jobs.example"
        )
        for refused in ("http://localhost:5173", "https://jobs.example", "https://a.b.jobs.example.evil"):
            assert "access-control-allow-origin" not in ask_from(c, refused)
        preflight = c.options(
            "/api/v1/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
        )
        assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers


def preflight(client: TestClient, origin: str, headers: str = "content-type") -> dict[str, str]:
    res = client.options(
        "/api/v1/events",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )
    return {"status": str(res.status_code), **res.headers}


@pytest.mark.parametrize("origins", [None, "*"])
def test_an_allowed_origin_may_post_events_as_json(tiny_advisor: Advisor, origins: str | None) -> None:
    """The widget's clicks and votes: a JSON POST, so the browser asks first (a preflight)."""
    with make_client(tiny_advisor, **({"cors_origins": origins} if origins else {})) as c:
        allowed = preflight(c, "http://localhost:5173")
        assert allowed["status"] == "200"
        assert allowed["access-control-allow-origin"] in ("http://localhost:5173", "*")
        assert "POST" in allowed["access-control-allow-methods"]
        assert "content-type" in allowed["access-control-allow-headers"].lower()
        event = {"type": "click", "answer_id": "A" * 16, "rank": 1, "section": "cooking/step-2-boiling-pasta"}
        res = c.post("/api/v1/events", json=event, headers={"Origin": "http://localhost:5173"})
        assert res.status_code == 202 and res.headers["access-control-allow-origin"] in (
            "http://localhost:5173",
            "*",
        )
        assert "access-control-allow-credentials" not in res.headers


def test_a_refused_origin_may_not_post_events(client: TestClient) -> None:
    refused = preflight(client, "https://evil.example")
    assert refused["status"] == "400" and "access-control-allow-origin" not in refused
    # Only content-type may be sent: never an Authorization header (the admin token) from another site.
    assert preflight(client, "http://localhost:5173", "authorization")["status"] == "400"
    event = {"type": "click", "answer_id": "A" * 16, "rank": 1, "section": "cooking/step-2-boiling-pasta"}
    res = client.post("/api/v1/events", json=event, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in res.headers  # the browser keeps the answer from the page


@pytest.mark.parametrize("value", ["careers.example.org", "ftp://x.example", "https://x.example/path"])
def test_a_malformed_origin_setting_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="not an origin"):
        Settings(cors_origins=value)


def test_embed_page_gives_a_working_snippet(client: TestClient) -> None:
    page = client.get("/embed")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    code = re.search(r'<code id="snippet-inline">(.*?)</code>', page.text, re.S)
    assert code, "no snippet on /embed"
    snippet = html.unescape(code.group(1))
    script = r'<script src="http://testserver(/widget/advisor-widget\.[0-9a-f]{12}\.js)" defer>'
    src = re.search(script, snippet)
    assert src and client.get(src.group(1)).content == SCRIPT_BYTES
    assert '<career-advisor endpoint="http://testserver" guide="cooking">' in snippet


def test_embed_page_has_no_inline_script_or_style(client: TestClient) -> None:
    page = client.get("/embed").text
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), "inline <script>"
    assert "<style" not in page and not re.search(r"\sstyle=", page), "inline style"
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"
    for asset in re.findall(r'(?:src|href)="(/widget/[^"]+)"', page):
        assert client.get(asset).status_code == 200, asset


def documented(text: str, name: str) -> bool:
    return f"<code>{name}</code>" in text or f"`{name}`" in text


@pytest.mark.parametrize("doc", ["embed", "readme"])
def test_docs_cover_every_attribute_string_property_and_part(client: TestClient, doc: str) -> None:
    text = client.get("/embed").text if doc == "embed" else (ROOT / "README.md").read_text()
    names = widget_js.attributes() | set(widget_js.strings())
    names |= widget_js.custom_properties() | widget_js.parts()
    missing = sorted(n for n in names if not documented(text, n))
    assert not missing, f"{doc} does not document: {missing}"


def test_embed_page_shows_each_string_with_its_real_default(client: TestClient) -> None:
    table = re.search(r'<table id="string-table">(.*?)</table>', client.get("/embed").text, re.S)
    assert table, "no table of strings on /embed"
    rows = re.findall(r'<tr><th scope="row"><code>(\w+)</code></th><td>([^<]*)</td></tr>', table.group(1))
    assert {key: html.unescape(text) for key, text in rows} == widget_js.strings()


def test_the_script_keeps_everything_inside_one_function() -> None:
    """Top-level const/class of a classic script would be host-page globals: only the IIFE may be there."""
    code = re.sub(r"^/\*.*?\*/\s*", "", widget_js.source(), flags=re.S)
    assert code.startswith('(() => {\n  "use strict";') and code.rstrip().endswith("})();")
    assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "document.write" not in code
    assert "eval(" not in code and "new Function" not in code and "cookie" not in code
