"""What the fake platform received, in SQLite (a file for `make run`, memory in tests).

Each push is stored once per (platform, idempotency key); a repeat is answered as a
duplicate and not stored again. ``seq`` is the arrival order, which the fault test
compares with the outbox order per enterprise.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS received (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " platform TEXT NOT NULL, key TEXT NOT NULL, topic TEXT, enterprise_id INTEGER,"
            " sequence INTEGER, body TEXT, UNIQUE (platform, key))")
        self._db.execute("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY,"
                         " value INTEGER NOT NULL)")
        self._db.commit()

    def bump(self, name: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO counters VALUES (?, 1) ON CONFLICT(name)"
                             " DO UPDATE SET value = value + 1", (name,))
            self._db.commit()

    def counters(self) -> dict[str, int]:
        with self._lock:
            return dict(self._db.execute("SELECT name, value FROM counters").fetchall())

    def put(self, platform: str, key: str, body: dict[str, Any]) -> bool:
        """Store a push; False when the key was already there (a duplicate)."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO received (platform, key, topic, enterprise_id, sequence,"
                " body) VALUES (?, ?, ?, ?, ?, ?)",
                (platform, key, body.get("topic"), body.get("enterprise_id"),
                 body.get("sequence"), json.dumps(body, ensure_ascii=False)))
            self._db.commit()
            return cursor.rowcount == 1

    def keys(self, platform: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT key FROM received WHERE platform = ? ORDER BY seq", (platform,))]

    def received(self, platform: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT seq, platform, key, topic, enterprise_id, sequence FROM received"
        args: tuple = ()
        if platform:
            sql, args = sql + " WHERE platform = ?", (platform,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seq", args).fetchall()
        names = ("seq", "platform", "key", "topic", "enterprise_id", "sequence")
        return [dict(zip(names, r, strict=True)) for r in rows]

    def reset(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM received")
            self._db.execute("DELETE FROM counters")
            self._db.commit()
