"""HTTP caching: ETag from the index version, Cache-Control, and 304 only for a request that would succeed."""

import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.index.build import build_index
from advisor.index.load import load_index
from advisor.settings import Settings
from advisor.web.app import create_app
from advisor.web.http.caching import make_etag, matches
from tests.conftest import FAKE_PARAMS, FakeEmbedder

CACHEABLE = [
    "/api/v1/ask?q=pasta",
    "/api/v1/guides",
    "/api/v1/guides/cooking/sections",
    "/api/v1/guides/cooking/sections/faq-1",
    "/",
    "/?q=pasta",
    "/guide/cooking",
]


ANSWERS = ["/api/v1/ask?q=pasta", "/?q=pasta"]


@pytest.fixture
def client(tiny_advisor: Advisor) -> TestClient:
    with TestClient(create_app(Settings(), advisor=tiny_advisor), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def unrecorded(tiny_advisor: Advisor) -> TestClient:
    """A site that records no insights: its answers carry no answer id, so anyone may share them."""
    settings = Settings(insights_enabled=False)
    with TestClient(create_app(settings, advisor=tiny_advisor), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("path", CACHEABLE)
def test_cacheable_responses_carry_an_etag_from_the_index_version(
    unrecorded: TestClient, tiny_advisor: Advisor, path: str
) -> None:
    client = unrecorded
    res = client.get(path)
    assert res.status_code == 200
    assert res.headers["etag"].startswith(f'"{tiny_advisor.index.version}-')
    assert res.headers["cache-control"] == "public, max-age=300"
    again = client.get(path, headers={"if-none-match": res.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == res.headers["etag"] and again.headers["cache-control"]


@pytest.mark.parametrize("path", ANSWERS)
def test_an_answer_with_an_answer_id_is_private_and_never_revalidated(
    client: TestClient, tiny_advisor: Advisor, path: str
) -> None:
    """Its id ties clicks and votes to one ask: no proxy may hand it to another visitor, and no 304 may
    keep an older id in the browser while the request recorded a new ask."""
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "private, max-age=300"
    assert "etag" not in first.headers
    tag = client.get("/api/v1/guides").headers["etag"]  # the index version's tag, still current
    again = client.get(path, headers={"if-none-match": tag})
    assert again.status_code == 200 and again.headers["cache-control"] == "private, max-age=300"
    assert answer_id(first) != answer_id(again)  # a new ask, a new id
    assert client.get("/").headers["cache-control"] == "public, max-age=300"  # no answer, no id


def answer_id(res: httpx.Response) -> str:
    if res.headers["content-type"].startswith("application/json"):
        return str(res.json()["answer_id"])
    found = re.search(r'name="a" value="([A-Za-z0-9_-]{16})"', res.text)  # in each result's vote form
    assert found, "no answer id on the page"
    return found.group(1)


def test_a_stale_or_weak_tag(client: TestClient) -> None:
    tag = client.get("/api/v1/guides").headers["etag"]
    assert client.get("/api/v1/guides", headers={"if-none-match": '"old-version"'}).status_code == 200
    assert client.get("/api/v1/guides", headers={"if-none-match": f'"x", W/{tag}'}).status_code == 304
    assert client.get("/api/v1/guides", headers={"if-none-match": "*"}).status_code == 304


def test_what_is_not_cacheable_says_nothing(client: TestClient) -> None:
    tag = client.get("/api/v1/guides").headers["etag"]
    for res in (
        client.post("/api/v1/ask", json={"question": "pasta"}),
        client.get("/healthz"),
        client.get("/readyz"),
        client.get("/api/v1/ask", params={"q": ""}),
        client.get("/guide/nursing"),
    ):
        assert "etag" not in res.headers and "cache-control" not in res.headers, res.request.url
    # a request that would fail is never answered 304, whatever tag it sends
    assert client.get("/api/v1/ask?q=pasta&k=0", headers={"if-none-match": tag}).status_code == 422
    assert client.get("/guide/nursing", headers={"if-none-match": tag}).status_code == 404


def test_max_age_is_a_setting(tiny_advisor: Advisor) -> None:
    with TestClient(create_app(Settings(cache_max_age=60), advisor=tiny_advisor)) as c:
        assert c.get("/api/v1/guides").headers["cache-control"] == "public, max-age=60"


def test_the_tag_changes_with_the_index_and_with_what_shapes_answers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "page.html"
    page.write_text("one")
    tag = make_etag("abc123", settings=[5, 20], files=[page])
    assert tag.startswith('"abc123-') and tag == make_etag("abc123", settings=[5, 20], files=[page])
    assert make_etag("def456", settings=[5, 20], files=[page]) != tag
    assert make_etag("abc123", settings=[5, 21], files=[page]) != tag
    page.write_text("two")
    assert make_etag("abc123", settings=[5, 20], files=[page]) != tag


def test_matches() -> None:
    assert matches('"a"', '"a"') and matches('W/"a"', '"a"') and matches('"b", "a"', '"a"')
    assert not matches("", '"a"') and not matches('"ab"', '"a"')


def test_an_answer_given_while_a_new_index_swaps_in_carries_no_etag(
    tiny_advisor: Advisor, tiny_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ETag names the index version; an answer from the old index must never carry the new tag
    (a client would revalidate it as current for ever), so during a swap there is no tag at all."""
    (tiny_corpus / "extra.md").write_text("# Extra\n\nSourdough.\n")
    build_index(tiny_corpus, tmp_path / "newer", FakeEmbedder(), params=FAKE_PARAMS)
    newer = Advisor(load_index(tmp_path / "newer"), FakeEmbedder())
    app = create_app(Settings(insights_enabled=False), advisor=tiny_advisor)  # answers with ids get no ETag
    answer = tiny_advisor.ask

    def answer_then_swap(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = answer(*args, **kwargs)
        app.state.startup.warm(newer)  # the watcher swaps in a new build mid-request
        return result

    monkeypatch.setattr(tiny_advisor, "ask", answer_then_swap)
    with TestClient(app) as client:
        during = client.get("/api/v1/ask?q=pasta")
        after = client.get("/api/v1/ask?q=pasta")
    assert during.json()["index"]["version"] == tiny_advisor.index.version and "etag" not in during.headers
    assert after.json()["index"]["version"] == newer.index.version
    assert after.headers["etag"].startswith(f'"{newer.index.version}-')
