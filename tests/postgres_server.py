"""A throwaway PostgreSQL 15 server on loopback for the tests marked ``postgres``.

One server per test session (so one per xdist worker), started on first use by
:func:`session_server` (the session fixture ``postgres_server`` in tests/conftest.py, and the
conformance suite's engines) and stopped when the session ends. Its data
and socket live in a temporary folder, it listens on a free port of 127.0.0.1, and durability
is off (``fsync``, ``synchronous_commit``): it holds nothing worth keeping. Each test that
needs a warehouse asks for a database of its own with :meth:`PostgresServer.new_database`.

``initdb`` refuses to run as root; as root the server runs as the ``postgres`` user (the
folder is handed to it). When the server cannot start, :func:`start_server` raises
:class:`PostgresUnavailable` with the reason, and the tests that need it fail with it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from itertools import count
from pathlib import Path

PG_BIN = Path(os.environ.get("CXLOOP_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER, PASSWORD = "cxloop", "pg-Test-pa55"  # password over TCP (scram), trust on the socket
_SETTINGS = (
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=60",
    "shared_buffers=64MB",
)


class PostgresUnavailable(RuntimeError):
    """The throwaway server could not be started (the message says why)."""


@dataclass
class PostgresServer:
    """A running throwaway server; :meth:`stop` ends it and removes its folder."""

    root: Path
    port: int
    _as_postgres: bool
    _names: count[int]

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        """The warehouse URL of ``database`` on this server."""
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "t") -> str:
        """Create an empty database and return its warehouse URL."""
        import psycopg

        name = f"{prefix}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            _run(self._as_postgres, [str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-m",
                                     "immediate", "-w", "stop"])  # fmt: skip
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _run(as_postgres: bool, argv: list[str]) -> subprocess.CompletedProcess[str]:
    if as_postgres:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server() -> PostgresServer:
    """Initialise and start a server in a new temporary folder; raise
    :class:`PostgresUnavailable` naming the step that failed."""
    if not (PG_BIN / "initdb").exists():
        raise PostgresUnavailable(
            f"no PostgreSQL binaries in {PG_BIN} (install the Debian package `postgresql`: "
            "`make system-deps`)"
        )
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="cxloop-pg-"))
    if as_postgres:
        shutil.chown(root, user="postgres", group="postgres")
    data = root / "data"
    password_file = root / "password"
    password_file.write_text(PASSWORD + "\n")
    if as_postgres:
        shutil.chown(password_file, user="postgres", group="postgres")
    step = _run(as_postgres, [str(PG_BIN / "initdb"), "-D", str(data), "-U", USER,
                              f"--pwfile={password_file}", "--auth-local=trust",
                              "--auth-host=scram-sha-256", "--encoding=UTF8",
                              "--no-sync"])  # fmt: skip
    if step.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {step.stderr.strip() or step.stdout.strip()}")
    options = " ".join(["-c listen_addresses=127.0.0.1", f"-k {root}"] +
                       [f"-c {s}" for s in _SETTINGS])  # fmt: skip
    for _ in range(5):  # another process may take the free port between probe and start
        port = _free_port()
        step = _run(as_postgres, [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l",
                                  str(root / "server.log"), "-o", f"-p {port} {options}",
                                  "-w", "start"])  # fmt: skip
        if step.returncode == 0:
            return PostgresServer(root, port, as_postgres, count(1))
    log = (root / "server.log").read_text(errors="replace")[-2000:] if root.exists() else ""
    shutil.rmtree(root, ignore_errors=True)
    raise PostgresUnavailable(f"pg_ctl start failed: {step.stderr.strip()} {log}".strip())


_SESSION: list[PostgresServer] = []


def session_server() -> PostgresServer:
    """This process's server, started on the first call (:func:`stop_session_server` ends
    it)."""
    if not _SESSION:
        _SESSION.append(start_server())
    return _SESSION[0]


def stop_session_server() -> None:
    """Stop this process's server, if one was started."""
    while _SESSION:
        _SESSION.pop().stop()
