"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temp cluster, a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SKIP_REASON = "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"


def server_bin() -> Path | None:
    """The newest installed server's bin folder (initdb, pg_ctl), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_server(bin_dir: Path) -> Iterator[str]:
    """Start a cluster in a temp folder; yield its SQLAlchemy URL; stop and delete it afterwards.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
    """
    root = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()

    def run(*args: str | Path) -> None:
        subprocess.run([*prefix, *map(str, args)], cwd=root, check=True, capture_output=True, timeout=60)

    try:
        run(bin_dir / "initdb", "-D", data, "-U", "advisor", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -F"
        run(
            bin_dir / "pg_ctl",
            "-D",
            data,
            "-l",
            root / "server.log",
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )
        try:
            yield f"postgresql+psycopg://advisor@127.0.0.1:{port}/postgres"
        finally:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
