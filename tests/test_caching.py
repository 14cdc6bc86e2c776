"""HTTP caching: ETag from the index version, Cache-Control, and 304 only for a request that would succeed."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisor.answer import Advisor
from advisor.api import create_app
from advisor.caching import make_etag, matches
from advisor.index import build_index, load_index
from advisor.settings import Settings
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


@pytest.fixture
def client(tiny_advisor: Advisor) -> TestClient:
    with TestClient(create_app(Settings(), advisor=tiny_advisor), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("path", CACHEABLE)
def test_cacheable_responses_carry_an_etag_from_the_index_version(
    client: TestClient, tiny_advisor: Advisor, path: str
) -> None:
    res = client.get(path)
    assert res.status_code == 200
    assert res.headers["etag"].startswith(f'"{tiny_advisor.index.version}-')
    assert res.headers["cache-control"] == "public, max-age=300"
    again = client.get(path, headers={"if-none-match": res.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == res.headers["etag"] and again.headers["cache-control"]


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
    app = create_app(Settings(), advisor=tiny_advisor)
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
