"""Answer: the `Advisor`, which turns a question into an `Answer`: cited hits, nothing generated.

In: an `Index`, an embedder and the settings. Out: hits re-ordered for what the question asks
(`next_steps`, `arrange`), the sentences that answer (`highlights`), and whether the guides
answer at all (`confidence`, with the confirmed questions' vote: `confirmed`). The web, the CLI and the
evals all go through `Advisor.ask`.
"""
