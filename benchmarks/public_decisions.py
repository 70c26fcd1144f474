"""The public decisions API at 1,000,000 published decisions, under gunicorn, driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hs_bench_public \\
        .venv/bin/python benchmarks/public_decisions.py --rows 1000000

Seeds ``--rows`` published disclosure records into the database of DATABASE_URL (a
database of its own: `make bench` uses hs_bench_public) with set-based SQL
(``INSERT … SELECT … FROM generate_series``, the GIN indexes dropped and rebuilt once),
unless that many bench rows are there already; ANALYZE; then starts gunicorn (2 sync
workers, production settings, throttles lifted for the run, benchmarks/throughput.py's
machinery) and drives wrk in interleaved rounds against:

- the floor: ``/healthz``, a trivial JSON view behind the same middleware;
- keyword + district search on the public API, first page (2-character and
  4-character keywords: the bigram and the trigram index);
- the same search on a deep cursor page (a cursor half-way down the matches);
- the Django admin changelist searching the same table (``search_fields``, as the
  superuser's session).

p50/p95/p99 come from wrk's own latency histogram (a Lua ``done`` hook prints the
percentiles). The table, the targets (p95 < 100 ms first and deep page, ≥ 0.5 × the
floor's req/s, ≥ 10 × the admin's) and the machine are appended to BENCHMARKS.md.

``--smoke`` (what tests/benchmarks runs): seed the given rows, then fetch each case once
in process through Django's test client, no gunicorn, no wrk.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hangzhou_safety.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + os.urandom(24).hex())

#: Marks the benchmark's rows (never a real decision's text).
MARK = "[bench]"
ADMIN = "bench_admin"
BATCH = 100_000
#: The GIN indexes dropped during a large seeding and built once at its end.
DEFERRED_INDEXES = ("disclosure_pub_trgm", "disclosure_pub_bigrams")
DISTRICT = "330106"
TERMS = ("化工", "富辉化工")

# The parts of realistic names, numbers and violations (combined by the row number, so
# every term below has thousands of matches and every name is one of ~50,000).
PLACES = ["杭州", "浙江", "西湖", "钱塘", "余杭", "萧山", "临平", "富阳", "临安", "桐庐",
          "建德", "淳安", "拱墅", "滨江", "上城", "之江", "良渚", "千岛湖"]
WORDS = ["富辉", "凯丰", "恒达", "永盛", "华信", "中天", "宏图", "金鼎", "新源", "瑞丰",
         "鑫达", "远航", "祥和", "德润", "天成", "汇通", "明珠", "光大", "长虹", "东方",
         "盛世", "博远", "嘉禾", "万通", "正泰", "世纪", "海纳", "锦程", "同创", "亿佳"]
TRADES = ["化工", "机械", "建材", "纺织", "食品", "物流", "电子", "五金", "塑料", "印染",
          "冶金", "涂料", "包装", "家具", "医药", "橡胶", "造纸", "仓储", "燃气", "钢铁"]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "厂", "制品有限公司"]
VIOLATIONS = [
    "未按规定对从业人员进行安全生产教育和培训",
    "未如实记录安全生产教育和培训情况",
    "特种作业人员未按照规定经专门的安全作业培训并取得相应资格上岗作业",
    "未建立事故隐患排查治理制度",
    "未采取措施消除事故隐患",
    "危险物品的容器、运输工具未经检测、检验合格",
    "未在有较大危险因素的生产经营场所设置明显的安全警示标志",
    "安全设备的安装、使用、检测、改造和报废不符合国家标准或者行业标准",
    "未对安全设备进行经常性维护、保养和定期检测",
    "生产经营场所和员工宿舍未设有符合紧急疏散要求的出口",
    "未按照规定制定生产安全事故应急救援预案或者未定期组织演练",
    "储存危险化学品的单位未建立危险化学品出入库核查、登记制度",
    "未为从业人员提供符合国家标准或者行业标准的劳动防护用品",
    "粉尘防爆安全设施未按规定设置",
    "有限空间作业未执行审批制度",
]
DECISION_TYPES = ["penalty"] * 7 + ["compulsory_measure", "onsite_measure", "other"]


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


@dataclass
class Case:
    name: str
    path: str
    auth: str  # "none" or "session"
    #: Every request a URL of its own with a ``nocache`` parameter, which the view
    #: ignores and the answer cache passes straight to the view (it caches only the
    #: view's own parameters): what a query costs when it is not in the cache.
    uncached: bool = False
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p95: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)


# --- Seeding ----------------------------------------------------------------------------

def _bench_cases() -> list[tuple[int, int, str, str]]:
    """(authority id, case id, district code, abbreviation) per district: one case per
    district bureau that every bench row points at (the foreign key is NOT NULL)."""
    from enforcement.cases.models import Case as CaseModel
    from hangzhou_safety.accounts.models import Authority, Jurisdiction, User

    admin = User.objects.filter(username=ADMIN).first()
    if admin is None:
        admin = User.objects.create_superuser(ADMIN, password=secrets.token_urlsafe(24))
    out = []
    for district in Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).order_by("code"):
        authority = Authority.objects.filter(code=f"EM-{district.code}").first()
        if authority is None:
            continue
        case = CaseModel.objects.filter(authority=authority, title=MARK).first()
        if case is None:
            case = CaseModel.objects.create(authority=authority, source="inspection",
                                            title=MARK, created_by=admin)
        out.append((authority.pk, case.pk, district.code, district.name[:1]))
    if not out:
        raise SystemExit("no district bureaus: run `manage.py migrate` on this database")
    return out


def bench_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM enforcement_disclosure WHERE original_text = %s",
                       [MARK])
        return int(cursor.fetchone()[0])


def seed(rows: int, *, verbose: bool = True) -> float:
    """Insert bench rows up to ``rows`` (set-based); returns the seconds it took."""
    import django

    django.setup()
    from django.db import connection, transaction

    have = bench_rows()
    if have >= rows:
        restore_indexes()
        return 0.0
    started = time.perf_counter()
    districts = _bench_cases()
    with connection.cursor() as cursor:
        drop = rows - have > 50_000
        if drop:  # rebuilt once at the end: much faster than row by row
            for name in DEFERRED_INDEXES:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_district (k int PRIMARY KEY, "
                       "authority_id bigint, case_id bigint, code text, abbr text)")
        cursor.execute("TRUNCATE bench_district")
        for k, (authority_id, case_id, code, abbr) in enumerate(districts):
            cursor.execute("INSERT INTO bench_district VALUES (%s, %s, %s, %s, %s)",
                           [k, authority_id, case_id, code, abbr])
        cursor.execute("""
            CREATE OR REPLACE FUNCTION pg_temp.bench_bigrams(VARIADIC parts text[])
            RETURNS varchar(2)[] LANGUAGE sql IMMUTABLE AS $$
              SELECT coalesce(array_agg(DISTINCT b ORDER BY b), '{}')::varchar(2)[] FROM (
                SELECT substr(p, k, 2) AS b FROM unnest(parts) p,
                       generate_series(1, greatest(length(p) - 1, 0)) k) s $$""")
        n_d = len(districts)
        start = have
        while start < rows:
            stop = min(start + BATCH, rows)
            with transaction.atomic():
                cursor.execute(_insert_sql(n_d).replace("%", "%%")
                               .replace("%%s::bigint", "%s::bigint"), [start + 1, stop])
            if verbose:
                print(f"seeded {stop:,} / {rows:,} rows "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)
            start = stop
        restore_indexes()
        if drop:
            # Outside a transaction (autocommit): the visibility map for index-only
            # reads and the statistics the planner needs for the new rows.
            cursor.execute("VACUUM (ANALYZE) enforcement_disclosure")
        else:
            cursor.execute("ANALYZE enforcement_disclosure")
    return time.perf_counter() - started


def restore_indexes() -> None:
    """Create the search indexes the seeding dropped, from the model's own definitions
    (also after a run killed half-way, which left them dropped)."""
    from django.db import connection

    from enforcement.disclosure.models import Disclosure

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = "
                       "'enforcement_disclosure'")
        present = {row[0] for row in cursor.fetchall()}
    with connection.schema_editor() as editor:
        for index in Disclosure._meta.indexes:
            if index.name in DEFERRED_INDEXES and index.name not in present:
                editor.add_index(Disclosure, index)


def _insert_sql(n_districts: int) -> str:
    # Each part picked by its own multiplicative hash of the row number i (odd
    # multipliers modulo primes), so names, numbers, violations, districts and years
    # vary independently of each other, at 300 rows as at 1,000,000.
    def pick(values: list[str], mult: int, prime: int) -> str:
        return f"({_sql_array(values)})[1 + ((i * {mult}) % {prime}) % {len(values)}]"

    name = (f"{pick(PLACES, 2749, 65521)} || {pick(WORDS, 31337, 99991)} || "
            f"{pick(TRADES, 40503, 65537)} || {pick(SUFFIXES, 7547, 10007)}")
    violation = pick(VIOLATIONS, 9973, 50021)
    kind = pick(DECISION_TYPES, 6007, 7919)
    # Built from this script's constants only (no input reaches the SQL).
    return f"""
        INSERT INTO enforcement_disclosure (
            case_id, authority_id, decision_type, decided_on, party_name, due_date,
            original_text, public_text, masks, marked_names, marked_phrases, status,
            hold_back_reason, hold_back_note, severity, publication_months, published_at,
            publication_ends_on, timeliness, withdrawal_reason, republish_after_withdrawal,
            withdrawal_timeliness, repair_reason, version, created_at, updated_at,
            document_number, violation, district_code, search_text, search_bigrams)
        SELECT d.case_id, d.authority_id, r.kind, r.decided_on, r.name,
               r.decided_on + 9, '{MARK}',
               '案由：' || r.violation || E'\\n当事人：' || r.name || E'\\n违法事实：经查，'
                 || r.name || r.violation || E'。\\n处罚决定：罚款人民币' || (1 + i % 50)
                 || E'000元\\n决定日期：' || to_char(r.decided_on, 'YYYY-MM-DD'),
               '[]', '[]', '[]', 'published', '', '', 'ordinary', 6,
               (r.decided_on + 5)::timestamptz, r.decided_on + 183, 'on_time', '', false, '',
               '', 1, now(), now(), r.number, r.violation, d.code,
               lower(r.name) || ' ' || lower(r.number) || ' ' || lower(r.violation),
               pg_temp.bench_bigrams(lower(r.name), lower(r.number), lower(r.violation))
        FROM generate_series(%s::bigint, %s::bigint) i
        JOIN bench_district d ON d.k = ((i * 7919) % 104729) % {n_districts}
        CROSS JOIN LATERAL (
            SELECT {name} AS name, {violation} AS violation, {kind} AS kind,
                   DATE '2021-01-01' + ((i * 3571) % 2153)::int AS decided_on,
                   '（杭' || d.abbr || '）应急罚〔' || (2021 + ((i * 3571) % 2153) / 365)
                     || '〕' || (1 + i / {n_districts} % 9000) || '号' AS number
        ) r"""  # noqa: S608


# --- The cases --------------------------------------------------------------------------

def deep_cursor(term: str, district: str) -> str:
    """The API's cursor half-way down the matches (what following ``next`` that many
    times gives; DRF's encoding: base64 of ``p=<position>``)."""
    from enforcement.portal import selectors

    rows = selectors.search(selectors.parse_filters({"q": term, "district": district}))
    total = rows.count()
    position = rows.values_list("id", flat=True)[max(total // 2, 0): max(total // 2, 0) + 1]
    ids = list(position)
    if not ids:
        return ""
    return base64.b64encode(urlencode({"p": ids[0]}).encode("ascii")).decode("ascii")


def build_cases() -> list[Case]:
    api = "/api/v1/public/decisions/"
    cases = [Case("floor: GET /healthz", "/healthz", "none")]
    for uncached in (False, True):
        for term in TERMS:
            query = f"q={quote(term)}&district={DISTRICT}"
            tag = ", uncached" if uncached else ""
            cases.append(Case(f"API first page q={term} district={DISTRICT}{tag}",
                              f"{api}?{query}", "none", uncached=uncached))
            cursor = deep_cursor(term, DISTRICT)
            deep = f"&cursor={quote(cursor)}" if cursor else ""  # no match: the first page
            cases.append(Case(f"API deep cursor page q={term} district={DISTRICT}{tag}",
                              f"{api}?{query}{deep}", "none", uncached=uncached))
    cases.append(Case(f"admin changelist q={TERMS[0]} district_code={DISTRICT}",
                      f"/admin/enforcement/disclosure/?q={quote(TERMS[0])}"
                      f"&district_code={DISTRICT}", "session"))
    return cases


# --- wrk with p95 -----------------------------------------------------------------------

LUA_DONE = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("PCT %d %d\\n", p, latency:percentile(p)))
  end
end
"""
# Each wrk thread numbers its requests; the thread's id keeps two threads' URLs apart.
LUA_UNCACHED = """
local next_id = 0
setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "&nocache=" .. id .. "-" .. n)
end
""" + LUA_DONE
PCT = re.compile(r"^PCT (\d+) (\d+)$", re.M)


def run_wrk(url: str, headers: list[str], *, threads: int, connections: int,
            duration: int, script: str) -> tuple[float, float, float, float]:
    from throughput import NON_2XX, RPS

    # A long timeout: the admin's seconds-long answers count, not time out.
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
               "--timeout", "60s", "-s", script]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], check=True, capture_output=True,  # noqa: S603
                         text=True).stdout
    bad = NON_2XX.search(out)
    if bad:
        raise SystemExit(f"{url}: {bad.group(1)} responses were not 2xx/3xx:\n{out}")
    pct = {int(p): int(us) / 1000 for p, us in PCT.findall(out)}
    match = RPS.search(out)
    if match is None or set(pct) != {50, 95, 99}:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    return float(match.group(1)), pct[50], pct[95], pct[99]


def wait_idle(port: int, *, limit: float = 180.0) -> None:
    """Until the floor answers quickly again (the previous case's requests are done)."""
    import urllib.request

    deadline = time.monotonic() + limit
    fast = 0
    while time.monotonic() < deadline and fast < 3:
        started = time.monotonic()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)  # noqa: S310
        except OSError:
            fast = 0
            continue
        fast = fast + 1 if time.monotonic() - started < 0.1 else 0
        time.sleep(0.2)


def smoke(cases: list[Case]) -> dict[str, int]:
    """Each case once, in process (the suite's check that the script's URLs answer)."""
    from django.test import Client

    from hangzhou_safety.accounts.models import User

    anonymous, admin = Client(), Client()
    admin.force_login(User.objects.get(username=ADMIN))
    out = {}
    for case in cases:
        client = admin if case.auth == "session" else anonymous
        out[case.name] = client.get(case.path).status_code
    return out


def _verdicts(cases: list[Case]) -> dict[str, str]:
    by = {c.name: c for c in cases}
    floor = statistics.median(cases[0].rps)
    admin = statistics.median(cases[-1].rps)
    out = {}
    for case in cases[1:-1]:
        rps, p95 = statistics.median(case.rps), statistics.median(case.p95)
        checks = [p95 < 100, rps >= 0.5 * floor, rps >= 10 * admin]
        out[case.name] = "met" if all(checks) else "missed (" + ", ".join(
            what for ok, what in zip(checks, ("p95", "× floor", "× admin"), strict=True)
            if not ok) + ")"
    del by
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--label", default="", help="a word on what this run measures")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--smoke", action="store_true", help="no gunicorn, no wrk")
    args = parser.parse_args()

    seconds = seed(args.rows)
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enforcement_disclosure")
    cases = build_cases()
    if args.smoke:
        for name, code in smoke(cases).items():
            print(f"{code}  {name}")
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: make bench-deps (Debian package wrk)")
    from throughput import (
        check_answers_200,
        machine,
        session_for,
        start_gunicorn,
        worker_peak_rss_mib,
    )

    headers = {"none": [], "session": [session_for(ADMIN)]}
    total = bench_rows()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA_DONE)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua_uncached:
        lua_uncached.write(LUA_UNCACHED)
    load_before = os.getloadavg()
    server = start_gunicorn(args.port, args.workers)
    try:
        for case in cases:
            check_answers_200(args.port, case, headers[case.auth])  # type: ignore[arg-type]
        for round_no in range(1, args.rounds + 1):
            for case in cases:
                # The admin's answers take seconds: as many connections as workers, or
                # the requests wrk leaves queued would still hold the workers when the
                # next case starts (and it drains before every case anyway).
                admin_case = case.auth == "session"
                wait_idle(args.port)
                rps, p50, p95, p99 = run_wrk(
                    f"http://127.0.0.1:{args.port}{case.path}", headers[case.auth],
                    threads=min(args.threads, args.workers) if admin_case else args.threads,
                    connections=args.workers if admin_case else args.connections,
                    duration=args.duration,
                    script=lua_uncached.name if case.uncached else lua.name)
                case.rps.append(rps)
                case.p50.append(p50)
                case.p95.append(p95)
                case.p99.append(p99)
                print(f"round {round_no}  {case.name}: {rps:.1f} req/s, p50 {p50:.1f} ms, "
                      f"p95 {p95:.1f} ms, p99 {p99:.1f} ms", flush=True)
        peaks = worker_peak_rss_mib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        os.unlink(lua.name)
        os.unlink(lua_uncached.name)
    load_after = os.getloadavg()

    floor = statistics.median(cases[0].rps)
    admin = statistics.median(cases[-1].rps)
    verdicts = _verdicts(cases)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg = cursor.fetchone()[0].split(" on ")[0]
    lines = [
        f"### {datetime.datetime.now(datetime.UTC):%Y-%m-%d} public decisions API "
        f"{args.label}".rstrip(),
        "",
        f"Machine: {machine()}, {pg}; load average {load_before[0]:.2f} before the run, "
        f"{load_after[0]:.2f} after (1 min). {total:,} published disclosure records "
        f"(benchmarks/public_decisions.py, seeded set-based"
        + (f" in {seconds:.0f} s" if seconds else ", already there") + f"); gunicorn "
        f"{args.workers} workers (sync), DEBUG off, throttles lifted; wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s (the admin: -c{args.workers}, as many "
        f"connections as workers), {args.rounds} interleaved rounds, each case after the "
        f"server is idle again, medians. Command: `{' '.join(['python', *sys.argv])}`.",
        "",
        "Targets: p95 < 100 ms (first and deep cursor page), ≥ 0.5 × floor req/s, "
        "≥ 10 × the admin changelist's req/s. The plain cases repeat one URL, as wrk "
        "does: after the first request they are answered from the answer cache "
        "(hangzhou_safety.api.cached). The uncached cases give every request a URL of "
        "its own, so each one runs the query.",
        "",
        "| case | req/s | p50 ms | p95 ms | p99 ms | × floor | × admin | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for case in cases:
        rps = statistics.median(case.rps)
        lines.append(
            f"| {case.name} | {rps:.1f} | {statistics.median(case.p50):.1f} | "
            f"{statistics.median(case.p95):.1f} | {statistics.median(case.p99):.1f} | "
            f"{rps / floor:.3f} | {rps / admin:.1f} | {verdicts.get(case.name, '')} |")
    lines += ["", "Peak RSS of the workers: "
              + ", ".join(f"{p:.1f} MiB" for p in peaks), "", ""]
    report = "\n".join(lines)
    print("\n" + report)
    out = Path(args.out)
    if not out.exists():
        out.write_text("# Throughput benchmarks\n\nWritten by `benchmarks/throughput.py` "
                       "and `benchmarks/public_decisions.py` (`make bench`); newest last.\n\n")
    with out.open("a") as handle:
        handle.write(report)


if __name__ == "__main__":
    main()
