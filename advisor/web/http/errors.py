"""HTTP errors: every failure the API can return, mapped to one JSON error shape."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from advisor.errors import AdvisorError

log = logging.getLogger("advisor")

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
}
RETRY_AFTER = "5"  # seconds a client should wait before retrying a 503 (start-up takes a few)

# (request, status, message) -> an HTML page for requests that are for a page, else None
HtmlErrorPage = Callable[[Request, int, str], Response | None]


def error_response(status: int, code: str, message: str, details: object = None) -> JSONResponse:
    """{"error": {"code", "message", "details"}}: the only error body the API sends."""
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status)


def _validation_details(exc: RequestValidationError) -> list[dict[str, object]]:
    return [
        {"loc": [str(part) for part in err.get("loc", ())], "message": str(err.get("msg", ""))}
        for err in exc.errors()
    ]


def _validation_message(exc: RequestValidationError) -> str:
    """The first problem in words: `k: Input should be ...`, or where the body stops being JSON."""
    errors = exc.errors()
    if not errors:
        return "invalid request"
    first = errors[0]
    if first.get("type") == "json_invalid":
        reason = first.get("ctx", {}).get("error", "")
        return f"the request body is not valid JSON: {reason} at character {first['loc'][-1]}"
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
    return f"{where}: {first.get('msg', '')}"


def install_error_handlers(app: FastAPI, *, html: HtmlErrorPage | None = None) -> None:
    """Every error becomes the JSON error shape, or, for a request that is for a page, `html`'s page."""

    def respond(request: Request, status: int, code: str, message: str, details: object = None) -> Response:
        response = html(request, status, message) if html else None
        response = response or error_response(status, code, message, details)
        if status == 503:
            response.headers["Retry-After"] = RETRY_AFTER
        return response

    @app.exception_handler(AdvisorError)
    async def advisor_error(request: Request, exc: AdvisorError) -> Response:
        return respond(request, exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 422, "invalid_request", _validation_message(exc), _validation_details(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        response = respond(request, exc.status_code, code, str(exc.detail))
        response.headers.update(exc.headers or {})
        if exc.status_code == 405 and (methods := documented_methods(request)):
            response.headers["Allow"] = ", ".join(methods)
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return respond(request, 500, "internal_error", "something went wrong on our side")


def documented_methods(request: Request) -> list[str]:
    """The methods the OpenAPI schema lists for this path: a 405's Allow header from Starlette names
    only the first matching route's, though GET and POST /api/v1/ask are two routes."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if compile_path(template)[0].match(request.url.path):
            methods |= {method.upper() for method in operations}
    return sorted(methods)
