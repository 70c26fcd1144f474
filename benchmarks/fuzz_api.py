"""The unbounded schemathesis run (``make bench``): every operation, anonymously and as
every persona, 50 examples each and no time budget (the suite's bounded run is 3
examples and about 150 s). Same test, same checks: tests/platform/test_schemathesis.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hs_bench .venv/bin/python benchmarks/fuzz_api.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    os.chdir(ROOT)
    os.environ.setdefault("HS_FUZZ_MAX_EXAMPLES", "50")
    os.environ.setdefault("HS_FUZZ_BUDGET_S", "0")  # 0: no budget
    import pytest

    sys.exit(pytest.main(["tests/platform/test_schemathesis.py", "-q", "-s", "-p",
                          "no:logging", *sys.argv[1:]]))
