"""Facts: the ranges of yearly pay a guide states (what pay-first highlights show)."""

from advisor.guides.facts import Range, stated_pay


def test_stated_pay_ranges() -> None:
    text = "- Median Salary: $105,000 – $145,000 per year\n- Engineers have 2-5 years of experience."
    assert stated_pay(text) == (Range(105_000, 145_000),)
    assert stated_pay("They possess 5+ years of experience, earning $90k-$120k.") == (Range(90_000, 120_000),)
    assert stated_pay("Step 3 takes 2-5 weeks and costs $20.") == ()
