"""The benchmark's document (benchmarks/document_render.py) is a valid two-page PDF whose
text is extractable. Speed is measured by the benchmark, never asserted here."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

from pypdf import PdfReader

from hangzhou_safety.documents.render import render_pdf

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "document_render.py"


def test_benchmark_decision_is_a_valid_two_page_pdf() -> None:
    spec = importlib.util.spec_from_file_location("document_render", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pdf = render_pdf(module.SAMPLE, module.decision_context())
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    for expected in ("行政处罚决定书", "（杭西）应急罚〔2026〕12号", "杭州示例化工有限公司",
                     "35000.00", "人民币叁万伍仟元整", "行政诉讼"):
        assert expected in text, expected
