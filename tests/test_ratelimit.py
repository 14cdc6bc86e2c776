from advisor.ratelimit import RateLimiter


def test_a_burst_then_the_refill_rate_per_client() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=30, burst=3, clock=lambda: now[0])
    assert [limiter.wait("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait("a") == 2.0  # one token every 2 s
    assert limiter.wait("b") == 0.0  # another client has its own bucket
    now[0] = 2.0
    assert limiter.wait("a") == 0.0 and limiter.wait("a") > 0
    now[0] = 1000.0
    assert [limiter.wait("a") for _ in range(4)][-1] > 0  # refills only up to the burst


def test_only_the_most_recent_clients_are_remembered() -> None:
    limiter = RateLimiter(per_minute=1, burst=1, max_keys=2, clock=lambda: 0.0)
    for key in ("a", "b", "c"):
        assert limiter.wait(key) == 0.0
    assert limiter.wait("a") == 0.0  # forgotten, so a full bucket again
    assert limiter.wait("c") > 0
