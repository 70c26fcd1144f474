"""Test helpers of the enforcement tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from hangzhou_safety.api.errors import DomainError


@contextmanager
def refused(kind: type[DomainError], zh: str) -> Iterator[None]:
    """The step is refused with ``kind`` and a Chinese message containing ``zh``."""
    with pytest.raises(kind) as caught:
        yield
    assert zh in caught.value.detail, caught.value.detail
    assert caught.value.detail_en
