"""Profile one URL in process: its queries, its mean time, and cProfile's top functions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hs_bench \\
        .venv/bin/python benchmarks/profile_path.py "/api/v1/enterprises/?sector=x" token 200

The second argument is how to call it, as benchmarks/throughput.py does: ``token`` (the
西湖区 inspector's bearer token), ``session`` (its session cookie) or ``none``. DEBUG
off and the anonymous throttles lifted, as in the throughput run. What the notes of
issue 15 cite as "in process" comes from here.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hangzhou_safety.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("API_ANON_RATE", "100000000/second")
os.environ.setdefault("PUBLIC_PAGE_RATE", "100000000/second")


def main() -> None:
    import django

    django.setup()
    import throughput
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path = sys.argv[1]
    auth = sys.argv[2] if len(sys.argv) > 2 else "none"
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    client, extra = Client(HTTP_HOST="127.0.0.1"), {}
    if auth != "none":
        name, value = throughput.credentials()[auth][0].split(": ", 1)
        if name == "Cookie":
            client.cookies.load(value)
        else:
            extra = {"HTTP_AUTHORIZATION": value}
    first = client.get(path, **extra)
    if first.status_code != 200:
        raise SystemExit(f"{path}: HTTP {first.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(path, **extra)
    # Read now: every request's request_started signal clears the connection's log.
    queries = list(captured.captured_queries)
    for query in queries:
        print(query["time"], query["sql"][:200])
    started = time.perf_counter()
    for _ in range(runs):
        client.get(path, **extra)
    mean = (time.perf_counter() - started) / runs * 1000
    print(f"mean {mean:.2f} ms over {runs} requests; {len(queries)} queries")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        client.get(path, **extra)
    profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
