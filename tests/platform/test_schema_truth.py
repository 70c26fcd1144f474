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


def test_every_operation_documents_the_error_statuses(schema: dict[str, Any]) -> None:
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "403", "404", "409", "413", "415", "429"):
                body = operation["responses"].get(code, {}).get("content", {})
                if body.get("application/json", {}).get("schema") != {
                        "$ref": "#/components/schemas/Error"}:
                    missing.append(f"{method} {path} {code}")
    assert missing == []
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {
        "code", "detail", "detail_en"}


def test_draft_schemes_have_no_approver(schema: dict[str, Any]) -> None:
    approved_by = schema["components"]["schemas"]["InspectionScheme"]["properties"][
        "approved_by"]
    assert approved_by.get("nullable") is True


@pytest.mark.parametrize(("method", "path", "codes"), [
    ("get", "/api/v1/inspections/{id}/evidence/", {"200"}),
    ("post", "/api/v1/draws/{id}/redraw/", {"201"}),
    ("post", "/api/v1/inspections/{id}/footage/", {"201"}),
    ("post", "/api/v1/inspections/{id}/signatures/", {"201"}),
    ("post", "/api/v1/inspections/{id}/evidence/", {"200", "201"}),
    ("post", "/api/v1/inspections/", {"200", "201"}),
    ("post", "/api/v1/inspections/{id}/hazards/", {"200", "201"}),
])
def test_success_statuses_are_the_real_ones(schema: dict[str, Any], method: str, path: str,
                                            codes: set[str]) -> None:
    responses = schema["paths"][path][method]["responses"]
    assert {c for c in responses if c.startswith("2")} == codes
    if method == "get":  # the evidence list is a cursor page, not a bare array
        ref = responses["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/PaginatedEvidenceList")
