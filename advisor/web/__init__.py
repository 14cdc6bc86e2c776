"""Web: the FastAPI app over the `Advisor`, thin: validate, call the core, shape the response.

In: settings (and an advisor, in tests). Out: `create_app` (`app`): the JSON API (`schemas`), the ask
and guide pages (`pages`, `render`, `excerpts`), the widget (`widget`), clicks and votes (`events`,
`page_events`), the insights page (`admin`, `charts`), loading in the background (`startup`) and
serving new index builds (`reloader`). HTTP plumbing lives in `web.http`.
"""
