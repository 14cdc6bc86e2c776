"""Hostile traffic: rate limits, body size, security headers, trusted proxies."""

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.settings import Settings
from advisor.web.app import create_app
from advisor.web.http.ratelimit import TokenBuckets, retry_after


def client_for(advisor: Advisor, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(**settings), advisor=advisor), raise_server_exceptions=False)


def test_token_bucket_allows_bursts_then_refills() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2, burst=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") == 0  # other clients are not affected
    now[0] += 0.5
    assert buckets.take("a") == 0
    assert retry_after(0.2) == "1" and retry_after(2.1) == "3"


def test_rate_limit_is_a_429_in_the_error_shape_with_retry_after(tiny_advisor: Advisor) -> None:
    with client_for(tiny_advisor, rate_limit_per_second=0.01, rate_limit_burst=2) as client:
        codes = [client.get("/api/v1/ask?q=pasta").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        res = client.get("/api/v1/ask?q=pasta")
        assert res.json()["error"]["code"] == "rate_limited"
        assert int(res.headers["Retry-After"]) >= 1
        assert client.get("/healthz").status_code == 200  # health checks are never limited


def test_forwarded_for_is_believed_only_from_trusted_proxies(tiny_advisor: Advisor) -> None:
    limits = {"rate_limit_per_second": 0.01, "rate_limit_burst": 1}
    with client_for(tiny_advisor, **limits) as client:  # untrusted: every header counts as one client
        assert client.get("/api/v1/ask?q=a", headers={"X-Forwarded-For": "1.1.1.1"}).status_code == 200
        assert client.get("/api/v1/ask?q=a", headers={"X-Forwarded-For": "2.2.2.2"}).status_code == 429
    with client_for(tiny_advisor, trusted_proxies=("testclient",), **limits) as client:
        assert client.get("/api/v1/ask?q=a", headers={"X-Forwarded-For": "1.1.1.1"}).status_code == 200
        assert client.get("/api/v1/ask?q=a", headers={"X-Forwarded-For": "2.2.2.2"}).status_code == 200
        assert client.get("/api/v1/ask?q=a", headers={"X-Forwarded-For": "1.1.1.1"}).status_code == 429


def test_oversized_bodies_are_refused_with_413(tiny_advisor: Advisor) -> None:
    with client_for(tiny_advisor, max_body_bytes=100) as client:
        res = client.post("/api/v1/ask", content=b"x" * 101, headers={"Content-Type": "application/json"})
        assert res.status_code == 413 and res.json()["error"]["code"] == "too_large"

        def chunks():  # type: ignore[no-untyped-def]
            yield b"x" * 60
            yield b"x" * 60

        res = client.post("/api/v1/ask", content=chunks())  # no Content-Length: counted while read
        assert res.status_code == 413


def test_every_response_carries_security_headers(tiny_advisor: Advisor) -> None:
    with client_for(tiny_advisor, frame_ancestors="https://careers.example.org") as client:
        for path in ("/api/v1/ask?q=pasta", "/api/v1/ask?q=", "/nothing", "/healthz"):
            headers = client.get(path).headers
            policy = headers["Content-Security-Policy"]
            assert "script-src 'self';" in policy and "unsafe-inline" not in policy
            assert "frame-ancestors https://careers.example.org" in policy
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
