"""Insights: what visitors asked and what the guides failed to answer.

In: asks, clicks and votes from the web. Out: scrubbed rows (`scrub`) written off the request path
(`recorder`) to SQLite or PostgreSQL (`store`); the report (`report`, `text`); failed questions as
unreviewed eval questions (`candidates`).
"""
