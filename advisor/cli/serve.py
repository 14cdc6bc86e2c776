"""CLI: `advisor serve`: the API and pages under uvicorn, building the index first when it is not current."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from advisor.cli import build
from advisor.cli.common import Add

if TYPE_CHECKING:
    from advisor.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from advisor import runtime

    state = runtime.index_state(settings)
    if state != "current":
        print(f"{state}: building the index first", file=sys.stderr)
        build.run(argparse.Namespace(if_stale=False), settings)
    chosen = {"host": args.host, "port": args.port, "workers": args.workers}
    settings = settings.model_copy(update={k: v for k, v in chosen.items() if v is not None})
    # Each worker builds its app from the environment, so hand it what the command line changed.
    os.environ.update(
        ADVISOR_CORPUS_DIR=str(settings.corpus_dir),
        ADVISOR_INDEX_DIR=str(settings.index_dir),
        ADVISOR_WORKERS=str(settings.workers),
    )
    from advisor.settings import get_settings
    from advisor.web.http.serving import HttpProtocol

    get_settings.cache_clear()  # a worker in this process reads them again too
    # Client addresses come from X-Forwarded-For only behind ADVISOR_TRUSTED_PROXIES (the app decides).
    uvicorn.run(
        "advisor.web.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        proxy_headers=False,
        http=HttpProtocol,
    )
    return 0


def add(command: Add) -> None:
    serve = command("serve", run, "serve the API and pages over HTTP")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, help="server processes (default 1)")
