"""Facts: the ranges of pay and of years of experience a guide states (what pay-first highlights show)."""

import math

from advisor.guides.facts import PAY, YEARS, Range, stated_ranges


def test_stated_ranges_of_pay_and_experience() -> None:
    text = "- Median Salary: $105,000 – $145,000 per year\n- Engineers have 2-5 years of experience."
    assert stated_ranges(text) == (Range(PAY, 105_000, 145_000), Range(YEARS, 2, 5))
    assert stated_ranges("They possess 5+ years of experience, earning $90k-$120k.") == (
        Range(PAY, 90_000, 120_000),
        Range(YEARS, 5, math.inf),
    )
    assert stated_ranges("Step 3 takes 2-5 weeks and costs $20.") == ()
