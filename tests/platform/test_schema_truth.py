"""The OpenAPI schema says what the API really returns (fields that can be null)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any, tmp_path_factory: Any) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--file", str(path))
    return yaml.safe_load(path.read_text())


@pytest.mark.parametrize("component", ["Jurisdiction", "Authority"])
def test_root_parents_are_documented_as_nullable(schema: dict[str, Any], component: str) -> None:
    # The city has no parent jurisdiction, the municipal bureau no parent authority.
    parent = schema["components"]["schemas"][component]["properties"]["parent"]
    assert parent.get("nullable") is True
