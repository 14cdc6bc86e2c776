"""Test servers: the real app under uvicorn, and static host pages, each in a thread on a loopback port."""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import uvicorn

from advisor.web.http.serving import HttpProtocol

PORTS = range(8201, 8261)  # the loopback ports these tests may use
HARDENING_PORTS = range(8401, 8421)  # input, fault, reload and load tests against real servers


def free_ports(count: int, ports: range = PORTS) -> list[int]:
    """`count` ports of `ports` that nothing listens on now."""
    found: list[int] = []
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free ports in {ports.start}-{ports.stop - 1}")


@contextmanager
def serve_app(app: Any, port: int) -> Iterator[str]:
    """The ASGI app under a real uvicorn server; yields its base URL and stops it afterwards."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", http=HttpProtocol)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class _QuietHandler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/favicon.ico":  # browsers ask for it; a 404 would be a console error
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_static(folder: Path, port: int) -> Iterator[str]:
    """A plain static file server for `folder` (a host site of another origin); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, name=f"static-{port}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@contextmanager
def server_process(argv: list[str], *, env: dict[str, str], port: int, log: Path) -> Iterator[Any]:
    """A server started as its own process (as a user or a container would), its stderr in `log`;
    yields the process once /healthz answers, and stops it (SIGTERM, then SIGKILL) afterwards."""
    import subprocess

    import httpx

    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(
            lambda: _answers(httpx, f"http://127.0.0.1:{port}/healthz"), proc, what="/healthz", timeout=90
        )
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _answers(httpx: Any, url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(condition: Any, proc: Any = None, *, what: str, timeout: float) -> None:
    """Poll `condition` until it holds; fail early if `proc` died, or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no {what} after {timeout} s")
        time.sleep(0.1)


CHROMIUM = Path("/usr/bin/chromium")  # Debian's package: never a browser download
# As root in a closed network: no sandbox, no GPU, no background connections that would be refused.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
