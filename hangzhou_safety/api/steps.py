"""What every workflow API module needs for its step endpoints, written once.

A step endpoint validates its input serializer, calls a service (which raises a
DomainError on an illegal move, answered by errors.exception_handler) and returns the
object's detail. Its schema names the input and the 200 body, and the same error body
for 400/403/404/409.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from hangzhou_safety.accounts.models import User

from .errors import InvalidInput


class ErrorSerializer(serializers.Serializer):
    """The error body of every refusal (hangzhou_safety/api/errors.py)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    detail_en = serializers.CharField()
    fields = serializers.DictField(required=False)  # type: ignore[assignment]


ERROR = OpenApiResponse(ErrorSerializer)
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


def validated(serializer: type[Any], request: Request) -> dict[str, Any]:
    """The request body checked by ``serializer``; a 400 with the field errors if not."""
    body = serializer(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def step_schema(request_serializer: Any, response: Any) -> Any:
    """The schema of a workflow step: its input, the object after it, the refusals."""
    return extend_schema(request=request_serializer, responses={200: response, **ERRORS})


def visible_users(actor: Any, ids: list[int], field: str) -> list[User]:
    """Active users ``actor`` may name (officers, reviewers), in the order given.

    A user outside the actor's jurisdiction is answered like an unknown one, so the
    API never confirms who exists elsewhere.
    """
    ids = list(dict.fromkeys(ids))
    found = {u.pk: u for u in User.objects.visible_to(actor).filter(pk__in=ids,
                                                                    is_active=True)}
    if len(found) != len(ids):
        message = "人员不存在或不在您的管辖范围内。"
        raise InvalidInput(message, f"Unknown or out-of-jurisdiction user in {field}.",
                           fields={field: [message]})
    return [found[pk] for pk in ids]
