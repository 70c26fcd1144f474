"""OpenAPI postprocessing: the error answers every operation can give, documented once.

Every error of the API has the same body (``errors.py``, ``boundary/responses.py``):
``code``, ``detail`` (Chinese), ``detail_en`` and, for bad input, ``errors`` by
field. Any operation can answer 400 (bad input, control characters, malformed JSON),
401 (no or expired credentials), 403 (role), 404 (unknown or out of jurisdiction),
409 (illegal workflow step), 413 (body too large), 415 (content type) and 429
(throttled), so a client (and schemathesis) finds each status documented. Integer
path parameters (primary keys) get their range.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = {
    "type": "object",
    "description": "错误说明（中文 detail，英文 detail_en）/ The error body of every API error.",
    "properties": {
        "code": {"type": "string", "description": "machine-readable reason"},
        "detail": {"type": "string", "description": "说明（中文）"},
        "detail_en": {"type": "string", "description": "explanation in English"},
        "errors": {"type": "object", "description": "field → messages (bad input)",
                   "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["code", "detail", "detail_en"],
}
ERROR_STATUSES = {
    "400": "输入有误 / Bad input",
    "401": "未登录或凭证无效 / Not authenticated",
    "403": "角色无权 / Role not allowed",
    "404": "不存在或不在辖区内 / Not found or outside the jurisdiction",
    "409": "流程不允许 / Illegal workflow step",
    "413": "请求体过大 / Body too large",
    "415": "内容类型不支持 / Unsupported content type",
    "429": "请求过于频繁 / Throttled",
}
METHODS = ("get", "post", "put", "patch", "delete")
#: Primary keys are BigAutoFields: positive and within a signed 64-bit integer.
ID_RANGE = {"minimum": 1, "maximum": 2**63 - 1}


def document_errors(result: dict[str, Any], generator: Any, request: Any,
                    public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    for key, value in ID_RANGE.items():
                        schema.setdefault(key, value)
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                # A view may name its own error serializer; the body is still the one
                # Error shape, so the reference replaces whatever it declared.
                answer = responses.setdefault(status, {"description": description})
                answer["content"] = {"application/json": {"schema": reference}}
    return result
