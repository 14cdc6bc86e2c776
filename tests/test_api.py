import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web.app import create_app


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


# ---------------------------------------------------------------- the rest of /api/v1


def test_ask_can_be_restricted_to_one_guide(client: TestClient) -> None:
    everywhere = client.get("/api/v1/ask", params={"q": "water", "k": 5}).json()["results"]
    gardening = client.get("/api/v1/ask", params={"q": "water", "guide": "gardening"}).json()["results"]
    assert {r["guide"] for r in everywhere} == {"cooking", "gardening"}
    assert gardening and {r["guide"] for r in gardening} == {"gardening"}


def test_post_ask_answers_like_get(client: TestClient) -> None:
    got = client.get("/api/v1/ask", params={"q": "how to boil pasta", "k": 2, "guide": "cooking"})
    posted = client.post("/api/v1/ask", json={"question": "how to boil pasta", "k": 2, "guide": "cooking"})
    assert posted.status_code == 200
    without_id = lambda body: {k: v for k, v in body.items() if k != "answer_id"}  # noqa: E731 - random per ask
    assert without_id(posted.json()) == without_id(got.json())
    assert posted.json()["results"][0]["anchor"] == "step-2-boiling-pasta"


def test_guides_lists_each_guide_with_its_page(client: TestClient) -> None:
    body = client.get("/api/v1/guides").json()
    assert body == {
        "guides": [
            {
                "id": "cooking",
                "title": "Cooking Basics",
                "sections": 9,
                "url": "/guide/cooking",
                "examples": ["Is cooking expensive?", "Kitchen Safety"],  # a heading that asks, then others
            },
            {
                "id": "gardening",
                "title": "Gardening for Beginners",
                "sections": 4,
                "url": "/guide/gardening",
                "examples": ["Soil and Compost", "Watering", "Café Crème: Ünïcode Heading"],
            },
        ]
    }


def test_sections_is_the_table_of_contents(client: TestClient, tiny_advisor: Advisor) -> None:
    body = client.get("/api/v1/guides/cooking/sections").json()
    assert (
        body["guide"] == "cooking" and body["title"] == "Cooking Basics" and body["url"] == "/guide/cooking"
    )
    sections = body["sections"]
    assert [s["anchor"] for s in sections] == [s.anchor for s in tiny_advisor.guide("cooking").sections]
    assert [s["position"] for s in sections] == list(range(len(sections)))
    assert sections[0]["level"] == 1 and sections[0]["breadcrumb"] == ["Cooking Basics"]
    faq = [s for s in sections if s["heading"] == "FAQ"]
    assert [s["anchor"] for s in faq] == ["faq", "faq-1"]  # a repeated heading gets its own anchor
    assert faq[1]["level"] == 3 and faq[1]["url"] == "/guide/cooking#faq-1"
    assert set(sections[0]) == {"anchor", "heading", "level", "breadcrumb", "position", "url"}


def test_one_section_in_full_with_its_neighbours(client: TestClient) -> None:
    body = client.get("/api/v1/guides/cooking/sections/step-2-boiling-pasta").json()
    assert body["heading"] == "Step 2: Boiling Pasta" and "rolling boil" in body["text"]
    assert body["parent"] == "steps-to-learn-cooking" and body["guide"] == "cooking"
    assert body["previous"]["anchor"] == "step-1-knife-skills"
    assert body["next"]["anchor"] == "step-3-baking-bread"
    first = client.get("/api/v1/guides/cooking/sections/cooking-basics").json()
    last = client.get("/api/v1/guides/gardening/sections/café-crème-ünïcode-heading").json()
    assert first["previous"] is None and first["next"]["anchor"] == "steps-to-learn-cooking"
    assert last["next"] is None and last["heading"] == "Café Crème: Ünïcode Heading"


def test_readyz_reports_the_loaded_index(client: TestClient, tiny_advisor: Advisor) -> None:
    res = client.get("/readyz")
    assert res.status_code == 200
    assert res.json() == {
        "status": "ready",
        "index": {"version": tiny_advisor.index.version, "model": "fake"},
    }


def test_the_model_is_warmed_before_the_app_is_ready(tiny_advisor: Advisor) -> None:
    encoded: list[str] = []

    class Counting(type(tiny_advisor.embedder)):  # type: ignore[misc]
        def encode(self, texts):  # type: ignore[no-untyped-def]
            encoded.extend(texts)
            return super().encode(texts)

    advisor = Advisor(tiny_advisor.index, Counting())
    create_app(Settings(), advisor=advisor)
    assert len(encoded) == 1


# ---------------------------------------------------------------- start-up: /readyz is 503 until ready


def test_not_ready_while_loading_then_ready(starting) -> None:  # type: ignore[no-untyped-def]
    import time

    client, release = starting
    assert client.get("/healthz").status_code == 200
    res = client.get("/readyz")
    assert res.status_code == 503 and res.json()["error"]["code"] == "not_ready"
    assert "starting" in res.json()["error"]["message"] and res.headers["retry-after"] == "5"
    assert client.get("/api/v1/ask", params={"q": "pasta"}).status_code == 503
    release.set()
    deadline = time.monotonic() + 10
    while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/ask", params={"q": "pasta"}).status_code == 200


def test_a_failed_start_says_why_on_readyz(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import time

    settings = Settings(index_dir=tmp_path / "no-index", corpus_dir=tmp_path / "no-corpus")
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        deadline = time.monotonic() + 10
        while "could not start" not in c.get("/readyz").text and time.monotonic() < deadline:
            time.sleep(0.02)
        res = c.get("/readyz")
        assert c.get("/healthz").status_code == 200
    assert res.status_code == 503
    error = res.json()["error"]
    assert error["code"] == "not_ready" and error["details"] == "index_missing"
    assert "could not start" in error["message"] and "advisor build" in error["message"]


# ---------------------------------------------------------------- every error path, one shape

GUIDE = "/api/v1/guides/cooking/sections"
ERROR_PATHS = [
    ("GET", "/api/v1/ask?q=", None, 422, "invalid_request"),
    ("GET", "/api/v1/ask?q=" + "x" * 501, None, 422, "invalid_request"),
    ("GET", "/api/v1/ask?q=a%01b", None, 422, "invalid_request"),
    ("GET", "/api/v1/ask?q=pasta&k=-1", None, 422, "invalid_request"),
    ("GET", "/api/v1/ask?q=pasta&guide=nursing", None, 404, "not_found"),
    ("POST", "/api/v1/ask", {"question": "pasta", "guide": "nursing"}, 404, "not_found"),
    ("POST", "/api/v1/ask", {"question": ""}, 422, "invalid_request"),
    ("POST", "/api/v1/ask", {"question": "pasta", "k": 0}, 422, "invalid_request"),
    ("POST", "/api/v1/ask", {"question": "pasta", "k": 21}, 422, "invalid_request"),
    ("POST", "/api/v1/ask", {"question": "pasta", "mode": "magic"}, 422, "invalid_request"),
    ("POST", "/api/v1/ask", {"question": "pasta", "query": "typo"}, 422, "invalid_request"),
    ("POST", "/api/v1/ask", {"k": 3}, 422, "invalid_request"),
    ("POST", "/api/v1/ask", "not json", 422, "invalid_request"),
    ("GET", "/api/v1/guides/nursing/sections", None, 404, "not_found"),
    ("GET", "/api/v1/guides/nursing/sections/anything", None, 404, "not_found"),
    ("GET", f"{GUIDE}/no-such-anchor", None, 404, "not_found"),
    ("GET", "/api/v1/nothing-here", None, 404, "not_found"),
    ("GET", "/api/v2/ask?q=pasta", None, 404, "not_found"),
    ("DELETE", "/api/v1/ask", None, 405, "method_not_allowed"),
    ("POST", "/api/v1/guides", None, 405, "method_not_allowed"),
    ("PUT", f"{GUIDE}/faq", None, 405, "method_not_allowed"),
]


def assert_error_shape(res, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert res.status_code == status, res.text
    assert res.headers["content-type"] == "application/json"
    body = res.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in res.text
    assert "etag" not in res.headers  # errors are never cached


@pytest.mark.parametrize(("method", "path", "body", "status", "code"), ERROR_PATHS)
def test_every_api_error_path_uses_the_one_shape(  # type: ignore[no-untyped-def]
    client: TestClient, method: str, path: str, body, status: int, code: str
) -> None:
    if isinstance(body, str):
        res = client.request(method, path, content=body, headers={"content-type": "application/json"})
    else:
        res = client.request(method, path, json=body)
    assert_error_shape(res, status, code)


NOT_READY_PATHS = ["/readyz", "/api/v1/ask?q=pasta", "/api/v1/guides", GUIDE, f"{GUIDE}/faq"]


@pytest.mark.parametrize("path", NOT_READY_PATHS)
def test_not_ready_errors_use_the_one_shape(starting, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _ = starting
    assert_error_shape(client.get(path), 503, "not_ready")
    post = client.post("/api/v1/ask", json={"question": "pasta"})
    assert_error_shape(post, 503, "not_ready")


def test_api_errors_stay_json_for_a_browser(client: TestClient) -> None:
    res = client.get("/api/v1/guides/nursing/sections", headers={"accept": "text/html"})
    assert_error_shape(res, 404, "not_found")


# ---------------------------------------------------------------- the OpenAPI schema and /docs

API_ROUTES = {
    "/api/v1/ask": {"get": "AnswerOut", "post": "AnswerOut"},
    "/api/v1/guides": {"get": "GuidesOut"},
    "/api/v1/guides/{guide}/sections": {"get": "TocOut"},
    "/api/v1/guides/{guide}/sections/{anchor}": {"get": "SectionOut"},
    "/healthz": {"get": "HealthOut"},
    "/readyz": {"get": "ReadyOut"},
    "/api/v1/events": {"post": "EventAccepted"},
}


def test_openapi_documents_every_endpoint_with_its_schemas(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == set(API_ROUTES)  # pages are not part of the API
    for path, methods in API_ROUTES.items():
        assert set(schema["paths"][path]) == set(methods)
        for method, model in methods.items():
            op = schema["paths"][path][method]
            assert op["summary"] and op["description"], (path, method)
            success = next(r for status, r in op["responses"].items() if status.startswith("2"))
            ok = success["content"]["application/json"]["schema"]["$ref"]
            assert ok == f"#/components/schemas/{model}"
            for status, response in op["responses"].items():
                if status[0] in "45":
                    error = response["content"]["application/json"]["schema"]["$ref"]
                    assert error == "#/components/schemas/ErrorOut", (path, method, status)
    ask = schema["paths"]["/api/v1/ask"]
    assert {"404", "422", "503"} <= set(ask["get"]["responses"]) and "304" in ask["get"]["responses"]
    body = ask["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body == "#/components/schemas/AskIn"
    assert "503" in schema["paths"]["/readyz"]["get"]["responses"]
    error = schema["components"]["schemas"]["ErrorBody"]
    assert set(error["properties"]) == {"code", "message", "details"}


def test_docs_page_is_served(client: TestClient) -> None:
    res = client.get("/docs")
    assert res.status_code == 200 and "/openapi.json" in res.text
