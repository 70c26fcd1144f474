#!/usr/bin/env bash
# The 10,000-change fault run of the credit pushes (tests/credit/test_outbox_faults.py at
# scale): a real worker on Redis, 30 % injected failures, the platform down for a stretch,
# the worker SIGKILLed mid-batch. Prints time, attempts, failures and duplicates.
set -euo pipefail
CREDIT_FAULT_CHANGES="${CREDIT_FAULT_CHANGES:-10000}" .venv/bin/python -m pytest \
  tests/credit/test_outbox_faults.py -q -s -p no:cacheprovider
