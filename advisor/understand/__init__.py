"""Understand: a visitor's question read once, before anything is searched.

In: the question as typed, the speller and synonym table of the index. Out: one `Query`: the text to
search (corrected, expanded), and what the question asks beyond its topic: what comes next
(`roadmap`) and a place in a guide's order (`places`). Imports `language` and `guides`.
"""
