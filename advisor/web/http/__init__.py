"""HTTP plumbing shared by every route: body size limit, rate limit and security headers (`guards`,
`ratelimit`), strict query strings (`params`), ETag and Cache-Control (`caching`), the one JSON error
shape (`errors`) and uvicorn's own 400s in it (`serving`)."""
