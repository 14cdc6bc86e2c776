"""Serving: uvicorn's HTTP protocol, with requests too malformed to reach the app refused in the error shape.

uvicorn answers a request it cannot parse (a request line over 64 KB, raw bytes that HTTP does not
allow in a URL, a broken chunked body) with its own plain-text 400 before any middleware sees it.
`advisor serve` runs uvicorn with this protocol instead; other servers can too:
`uvicorn --factory advisor.web.app:create_app --http advisor.web.http.serving:HttpProtocol`.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MALFORMED = "the request is not valid HTTP, or its address or headers are too long"


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, its plain-text 400 replaced by the one JSON error shape."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"error": {"code": "bad_request", "message": MALFORMED, "details": None}}).encode()
        lines = [b"HTTP/1.1 400 Bad Request"]
        lines += [name + b": " + value for name, value in self.server_state.default_headers]
        lines += [
            b"content-type: application/json",
            b"content-length: " + str(len(body)).encode(),
            b"x-content-type-options: nosniff",
            b"connection: close",
        ]
        self.transport.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        self.transport.close()
