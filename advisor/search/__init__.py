"""Search: a question's best sections in one loaded index.

In: an `Index` and the question text. Out: `Results`, hits ranked one per section: dense window and
sentence scores lifted by heading closeness (`headings`, `sentences`), BM25 beside them, merged by
`fusion`; `retrieve` holds the `Retriever`, the `Hit` record and the modes (`modes`).
"""
