"""POST /api/v1/events: validated, size-capped and rate-limited, errors in the one shape."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web.app import create_app

SECTION = "cooking/step-2-boiling-pasta"


@pytest.fixture
def client(tiny_advisor: Advisor) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(events_burst=1000), advisor=tiny_advisor)) as c:
        yield c


def click(**change: object) -> dict[str, object]:
    return {"type": "click", "answer_id": "A" * 16, "rank": 1, "section": SECTION, **change}


def vote(**change: object) -> dict[str, object]:
    return {"type": "feedback", "answer_id": "A" * 16, "section": SECTION, "vote": "down", **change}


def test_a_click_and_a_vote_are_accepted(client: TestClient) -> None:
    answer_id = client.get("/api/v1/ask", params={"q": "how to boil pasta"}).json()["answer_id"]
    assert client.post("/api/v1/events", json=click(answer_id=answer_id)).json() == {"recorded": True}
    res = client.post("/api/v1/events", json=vote(answer_id=answer_id, reason="too short", rank=1))
    assert res.status_code == 202 and res.json() == {"recorded": True}


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (click(answer_id="short"), "answer_id"),
        (click(answer_id="A" * 15 + "!"), "answer_id"),
        (click(answer_id=12345678901234567), "answer_id"),
        (click(rank=0), "rank"),
        (click(rank=21), "rank"),  # above max_k
        (click(rank="1"), "rank"),
        (click(rank=1.5), "rank"),
        (click(section="no-slash"), "section"),
        (click(section="cooking/no-such-section"), "section"),
        (click(type="hover"), "type"),
        (click(extra="field"), "extra"),
        ({"type": "click", "rank": 1, "section": SECTION}, "answer_id"),
        (vote(vote="sideways"), "vote"),
        (vote(vote=True), "vote"),
        (vote(reason="x" * 201), "reason"),
        (vote(reason="bad\x00byte"), "reason"),
        (vote(reason=["a list"]), "reason"),
        ([click()], "body"),
        ("click", "body"),
    ],
)
def test_bad_events_are_422_in_the_error_shape(client: TestClient, body: object, where: str) -> None:
    res = client.post("/api/v1/events", json=body)
    assert res.status_code == 422
    error = res.json()["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] == "invalid_request"
    assert where in error["message"] or any(where in d["loc"] for d in error["details"])


def test_a_body_that_is_not_json_is_422(client: TestClient) -> None:
    res = client.post("/api/v1/events", content=b"{not json", headers={"content-type": "application/json"})
    assert res.status_code == 422 and res.json()["error"]["code"] == "invalid_request"


def test_an_oversized_body_is_413_in_the_error_shape(client: TestClient) -> None:
    res = client.post("/api/v1/events", json=vote(reason="ok", padding="x" * 20_000))
    assert res.status_code == 413
    assert res.json()["error"]["code"] == "too_large"


def test_an_oversized_streamed_body_is_413_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield from [b" " * 1000] * 20  # no Content-Length: read only until past the cap

    res = client.post("/api/v1/events", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413 and res.json()["error"]["code"] == "too_large"


def test_each_client_is_rate_limited_with_retry_after(tiny_advisor: Advisor) -> None:
    settings = Settings(events_burst=3, events_per_minute=6)
    with TestClient(create_app(settings, advisor=tiny_advisor)) as c:
        codes = [c.post("/api/v1/events", json=click()).status_code for _ in range(4)]
        limited = c.post("/api/v1/events", json=click())
    assert codes == [202, 202, 202, 429]
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 10


def test_events_are_dropped_politely_when_recording_is_off(tiny_advisor: Advisor) -> None:
    with TestClient(create_app(Settings(insights_enabled=False), advisor=tiny_advisor)) as c:
        res = c.post("/api/v1/events", json=click())
    assert res.status_code == 202 and res.json() == {"recorded": False}


def test_openapi_documents_the_events_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/api/v1/events"]["post"]
    assert {"202", "413", "422", "429"} <= set(post["responses"])
    assert {"ClickIn", "FeedbackIn"} <= set(schema["components"]["schemas"])
    assert "answer_id" in schema["components"]["schemas"]["AnswerOut"]["properties"]
