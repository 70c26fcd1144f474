"""Benchmark of the document service: render a two-page 行政处罚决定书-like PDF.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hs_bench \
        .venv/bin/python benchmarks/document_render.py --runs 20

(or `make bench`). No database query is made: the settings only need a DATABASE_URL.
Renders the sample decision (templates/documents/samples/penalty_decision.html, the
context of tests/documents/conftest.py's shape) once to warm fontconfig and the
template cache, then `--runs` times with time.perf_counter, in process, and prints
the median and p95 in ms, the page count and the PDF size. It also says whether
WeasyPrint loaded libharfbuzz-subset (without it a CJK page takes over 10 s).
Target (issue 11): under 1 s for the decision. The figures go into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hangzhou_safety.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hs_bench")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")

TARGET_MS = 1000.0
SAMPLE = "documents/samples/penalty_decision.html"


def decision_context(paragraphs: int = 4) -> dict[str, Any]:
    """A decision long enough for two A4 pages (facts, evidence, basis, payment, rights)."""
    return {
        "party": {"name": "杭州示例化工有限公司", "uscc": "91330106MA2AAAAA0X",
                  "address": "杭州市西湖区文三路1号", "representative": "王五"},
        "facts": [f"经查，你单位于2026年11月{n + 1}日在未对新上岗的作业人员进行安全生产教育和"
                  "培训的情况下安排其上岗作业，且未如实记录安全生产教育和培训的时间、内容、"
                  "参加人员以及考核结果等情况，违法事实清楚。" for n in range(paragraphs)],
        "evidence": ["现场检查记录", "询问笔录二份", "现场照片十二张", "培训档案复印件",
                     "营业执照复印件", "法定代表人身份证明"],
        "provision": "《中华人民共和国安全生产法》第二十八条第一款、第四款",
        "penalty_provision": "《中华人民共和国安全生产法》第九十七条第（三）项、第（四）项",
        "amount": Decimal("35000.00"),
        "document": {
            "number": "（杭西）应急罚〔2026〕12号", "title": "行政处罚决定书",
            "authority_name": "杭州市西湖区应急管理局", "date": "2026-12-02",
            "rights_notice": "如不服本行政处罚决定书，可以在收到本行政处罚决定书之日起六十日内"
                             "依法向杭州市西湖区人民政府申请行政复议，或者在六个月内依法向"
                             "有管辖权的人民法院提起行政诉讼。"},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from pypdf import PdfReader

    from hangzhou_safety.documents.render import harfbuzz_subsetting, render_pdf

    context = decision_context()
    pdf = render_pdf(SAMPLE, context)  # warm-up: fontconfig cache, templates, fonts
    samples = []
    for _ in range(args.runs):
        start = time.perf_counter()
        pdf = render_pdf(SAMPLE, context)
        samples.append((time.perf_counter() - start) * 1000)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered) + 0.5) - 1)]
    median = statistics.median(samples)
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, python "
          f"{platform.python_version()}, harfbuzz-subset: {harfbuzz_subsetting()}")
    print(f"行政处罚决定书 sample: {pages} pages, {len(pdf) / 1024:.0f} KiB, "
          f"runs {args.runs}, median {median:.0f} ms, p95 {p95:.0f} ms, "
          f"target (median) {TARGET_MS:.0f} ms: {'met' if median < TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
