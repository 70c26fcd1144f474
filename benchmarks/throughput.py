"""Side-by-side throughput of the app's read paths under gunicorn, driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hs_bench \
        .venv/bin/python benchmarks/throughput.py --scale 385

Seeds the registry like benchmarks/enterprise_list.py (unless the table already holds
scale × 780 enterprises) and the plans and inspections of benchmarks/list_seed.py,
starts gunicorn with production settings (DEBUG off, the anonymous throttles lifted for
the run only) and drives Debian's `wrk` against:

- the floor: `/healthz`, a trivial JSON view of the same app behind the same
  middleware (what a request costs before any of our code runs);
- the endpoints under test, as the 西湖区 inspector (a bearer token for the API, a
  session cookie for the pages);
- the naive reference where one exists: the same rows through DRF's generics as a
  newcomer would write it (benchmarks/reference_urls.py, served only here).

Cases run interleaved in rounds (A B C … A B C …) so that drift on a shared machine
hits all of them alike; each figure is the median over the rounds. Prints req/s,
p50/p99 latency, the ratio to the floor and to the reference, the peak RSS of the
gunicorn workers, and appends the table to BENCHMARKS.md with the machine and the
command line. Every throughput figure in the project's notes comes from this script.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hangzhou_safety.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
# One key for this process (which makes the sessions) and the server (which reads them).
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + os.urandom(24).hex())


@dataclass
class Case:
    name: str
    path: str
    auth: str  # "none", "token", "session"
    reference: str | None = None  # name of the case this one is compared with
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)


NAIVE = "reference: naive DRF list /bench/naive/enterprises/"
CASES = [
    Case("floor: GET /healthz", "/healthz", "none"),
    Case("reference: naive DRF list /bench/naive/enterprises/",
         "/bench/naive/enterprises/", "token"),
    Case("API /api/v1/enterprises/?sector=hazardous_chemicals",
         "/api/v1/enterprises/?sector=hazardous_chemicals", "token",
         reference=NAIVE),
    Case("API /api/v1/enterprises/?search=化工",
         "/api/v1/enterprises/?search=%E5%8C%96%E5%B7%A5", "token",
         reference=NAIVE),
    Case("HTML /enterprises/", "/enterprises/", "session",
         reference=NAIVE),
    Case("HTML /enterprises/?search=化工", "/enterprises/?search=%E5%8C%96%E5%B7%A5", "session"),
    # Seeded by benchmarks/list_seed.py: 西湖区's plan versions and inspections.
    Case("HTML /inspections/ (inspection page)", "/inspections/", "session"),
    Case("HTML /plans/ (plan page)", "/plans/", "session"),
]

LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def check_answers_200(port: int, case: Case, headers: list[str]) -> None:
    """wrk counts a redirect as a success: make sure each case is the real page (an
    expired or unreadable session would measure the login redirect instead)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", case.path, headers=dict(h.split(": ", 1) for h in headers))
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{case.name}: HTTP {response.status} {body[:300]!r}")


def run_wrk(url: str, headers: list[str], *, threads: int, connections: int,
            duration: int) -> tuple[float, float, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], check=True, capture_output=True,  # noqa: S603
                         text=True).stdout
    bad = NON_2XX.search(out)
    if bad:
        raise SystemExit(f"{url}: {bad.group(1)} responses were not 2xx/3xx:\n{out}")
    latencies = {pct: to_ms(v, u) for pct, v, u in LATENCY.findall(out)}
    match = RPS.search(out)
    if match is None or "50" not in latencies:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    return float(match.group(1)), latencies["50"], latencies["99"]


def session_for(username: str) -> str:
    """A session cookie header for ``username``, made in-process (no login traffic)."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from hangzhou_safety.accounts.middleware import LAST_SEEN_KEY
    from hangzhou_safety.accounts.models import User

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_SEEN_KEY] = int(time.time())
    store.save()
    return f"Cookie: sessionid={store.session_key}"


def credentials() -> dict[str, list[str]]:
    """A bearer token and session cookies, made in-process (no login traffic in the run)."""
    import django

    django.setup()
    from hangzhou_safety.accounts.models import User
    from hangzhou_safety.api.authentication import issue_token

    raw, _token = issue_token(User.objects.get(username="xihu_inspector"))
    return {
        "none": [],
        "token": [f"Authorization: Bearer {raw}"],
        "session": [session_for("xihu_inspector")],
    }


def seed_if_needed(scale: int) -> int:
    import django

    django.setup()
    from django.db import connection
    from enterprise_list import seed_registry

    from enterprises.models import Enterprise

    have = Enterprise.objects.count()
    if have < scale * 780:
        print(f"seeding: {have} enterprises, want {scale * 780} …", flush=True)
        seed_registry(scale)
        have = Enterprise.objects.count()
    from list_seed import seed_lists

    plans, inspections = seed_lists(stdout=sys.stdout)
    print(f"lists: {plans} plans, {inspections} inspections", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return have


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update({
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_MANIFEST": "0",
        "DJANGO_ROOT_URLCONF": "benchmarks.reference_urls",
        # Lifted for the run only: the throttles would turn the floor into 429s.
        "API_ANON_RATE": "100000000/second",
        "PUBLIC_PAGE_RATE": "100000000/second",
        "PUBLIC_REPORT_RATE": "100000000/second",
    })
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [str(ROOT / ".venv/bin/gunicorn"), "hangzhou_safety.wsgi", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def worker_peak_rss_mib(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return peaks


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().split()[1]
    return (f"{os.cpu_count()} vCPU ({cpu}), {int(mem) / 1024 / 1024:.0f} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=385)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--label", default="", help="a word on what this run measures")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: make bench-deps (Debian package wrk)")

    enterprises = seed_if_needed(args.scale)
    headers = credentials()
    server = start_gunicorn(args.port, args.workers)
    try:
        for case in CASES:
            check_answers_200(args.port, case, headers[case.auth])
        for round_no in range(1, args.rounds + 1):
            for case in CASES:
                rps, p50, p99 = run_wrk(
                    f"http://127.0.0.1:{args.port}{case.path}", headers[case.auth],
                    threads=args.threads, connections=args.connections,
                    duration=args.duration)
                case.rps.append(rps)
                case.p50.append(p50)
                case.p99.append(p99)
                print(f"round {round_no}  {case.name}: {rps:.1f} req/s, p50 {p50:.1f} ms, "
                      f"p99 {p99:.1f} ms", flush=True)
        peaks = worker_peak_rss_mib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    by_name = {case.name: case for case in CASES}
    floor = statistics.median(CASES[0].rps)
    lines = [
        f"### {datetime.datetime.now(datetime.UTC):%Y-%m-%d} {args.label}".rstrip(),
        "",
        f"Machine: {machine()}. {enterprises:,} enterprises; gunicorn {args.workers} "
        f"workers (sync); wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"{args.rounds} interleaved rounds, medians. Command: "
        f"`{shlex.join(['python', *sys.argv])}`.",
        "",
        "| case | req/s | p50 ms | p99 ms | × floor | × reference |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in CASES:
        rps = statistics.median(case.rps)
        ref = (f"{rps / statistics.median(by_name[case.reference].rps):.1f}"
               if case.reference else "")
        lines.append(f"| {case.name} | {rps:.1f} | {statistics.median(case.p50):.1f} | "
                     f"{statistics.median(case.p99):.1f} | {rps / floor:.3f} | {ref} |")
    lines += ["", "Peak RSS of the workers: "
              + ", ".join(f"{p:.1f} MiB" for p in peaks), "", ""]
    report = "\n".join(lines)
    print("\n" + report)
    out = Path(args.out)
    if not out.exists():
        out.write_text("# Throughput benchmarks\n\nWritten by `benchmarks/throughput.py` "
                       "(`make bench`); newest last.\n\n")
    with out.open("a") as handle:
        handle.write(report)


if __name__ == "__main__":
    main()
