"""Parameters: query strings read strictly, so a request means exactly what it says or is refused."""

from __future__ import annotations

from collections import Counter
from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from advisor.errors import InvalidRequestError


async def utf8_query(request: Request) -> None:
    """Refuses a query string whose percent-escapes are not UTF-8 (e.g. `?q=%FF`).

    Starlette would quietly turn such bytes into U+FFFD and answer a question nobody asked.
    """
    raw = request.scope.get("query_string", b"")
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRequestError(
            f"the query string is not valid UTF-8 (byte {exc.object[exc.start]:#04x}); "
            "percent-encode the UTF-8 bytes of the text"
        ) from None


async def known_parameters(request: Request) -> None:
    """Refuses query parameters the route does not take (`?question=` for `?q=`, `?limit=` for `?k=`),
    and parameters given twice, instead of silently ignoring one of them."""
    route = request.scope.get("route")
    known = sorted(query_names(route.dependant)) if isinstance(route, APIRoute) else []
    names = Counter(name for name, _ in request.query_params.multi_items())
    unknown = sorted(set(names) - set(known))
    takes = f"it takes {', '.join(known)}" if known else "it takes no query parameters"
    if unknown:
        raise InvalidRequestError(
            f"unknown query parameter {unknown[0]!r}; {takes}", details={"unknown": unknown, "known": known}
        )
    repeated = sorted(name for name, count in names.items() if count > 1)
    if repeated:
        raise InvalidRequestError(
            f"query parameter {repeated[0]!r} is given more than once", details={"repeated": repeated}
        )


def query_names(dependant: Dependant) -> set[str]:
    """The query parameters a route reads, its dependencies' included."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= query_names(sub)
    return names
