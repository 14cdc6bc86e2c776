import pytest
from fastapi.testclient import TestClient

from advisor.answer import Advisor
from advisor.api import create_app
from advisor.settings import Settings


@pytest.fixture
def client(tiny_advisor: Advisor) -> TestClient:
    with TestClient(create_app(Settings(), advisor=tiny_advisor), raise_server_exceptions=False) as c:
        yield c


def test_ask_returns_cited_sections(client: TestClient) -> None:
    res = client.get("/api/v1/ask", params={"q": "how to boil pasta", "k": 3})
    assert res.status_code == 200
    body = res.json()
    assert body["answered"] is True and body["next_steps"] == []
    first = body["results"][0]
    assert first["section"] == "Step 2: Boiling Pasta"
    assert first["breadcrumb"] == ["Cooking Basics", "Steps to Learn Cooking", "Step 2: Boiling Pasta"]
    assert first["url"] == "/guide/cooking#step-2-boiling-pasta"
    assert first["guide"] == "cooking" and "rolling boil" in first["text"]
    assert set(first["why"]) == {"dense_rank", "bm25_rank", "matched_terms", "window"}
    assert first["highlights"] and first["highlights"][0]["text"] in first["text"]
    assert "pasta" in first["why"]["matched_terms"]
    assert body["index"]["model"] == "fake" and len(body["index"]["version"]) == 12
    assert len(body["results"]) == 3


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/ask?q=", 422, "invalid_request"),
        ("/api/v1/ask?q=%20%20", 422, "invalid_request"),
        ("/api/v1/ask", 422, "invalid_request"),
        ("/api/v1/ask?q=pasta&k=0", 422, "invalid_request"),
        ("/api/v1/ask?q=pasta&k=21", 422, "invalid_request"),
        ("/api/v1/ask?q=pasta&k=abc", 422, "invalid_request"),
        ("/api/v1/ask?q=pasta&mode=magic", 422, "invalid_request"),
        ("/api/v1/ask?q=pasta&guide=nursing", 404, "not_found"),
        ("/api/v1/nothing-here", 404, "not_found"),
    ],
)
def test_every_error_uses_the_one_shape(client: TestClient, path: str, status: int, code: str) -> None:
    res = client.get(path)
    assert res.status_code == status
    body = res.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    assert "Traceback" not in res.text


def test_method_not_allowed_uses_the_shape(client: TestClient) -> None:
    res = client.delete("/api/v1/ask")
    assert res.status_code == 405 and res.json()["error"]["code"] == "method_not_allowed"


def test_unexpected_failure_is_a_500_in_the_shape_without_traceback(tiny_advisor: Advisor) -> None:
    class Broken(Advisor):
        def ask(self, *a, **k):  # type: ignore[no-untyped-def]
            raise RuntimeError("secret internals")

    broken = Broken(tiny_advisor.index, tiny_advisor.embedder)
    with TestClient(create_app(Settings(), advisor=broken), raise_server_exceptions=False) as c:
        res = c.get("/api/v1/ask?q=x")
    assert res.status_code == 500
    assert res.json()["error"]["code"] == "internal_error"
    assert "secret" not in res.text


def test_openapi_documents_ask(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/ask" in schema["paths"]
    assert "AnswerOut" in schema["components"]["schemas"]
