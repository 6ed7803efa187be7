"""Errors of the API as JSON that a client program can act on.

Services raise django.core.exceptions.ValidationError with a dict {field: [messages]}; serializers raise DRF's
ValidationError. Both become HTTP 400 with the same shape: {"field": ["message", ...]}, and errors that belong to
no single field under "non_field_errors". Everything else is DRF's default ({"detail": "..."}).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def field_errors(exc: DjangoValidationError) -> dict[str, list]:
    """A Django ValidationError as {field: [messages]}; model-level ("__all__") errors as non_field_errors."""
    detail = as_serializer_error(exc)
    key = api_settings.NON_FIELD_ERRORS_KEY
    out: dict[str, list] = {}
    for field, messages in detail.items():
        name = key if field in (NON_FIELD_ERRORS, None, "") else field
        out.setdefault(name, []).extend(messages if isinstance(messages, list) else [messages])
    return out


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    return drf_exception_handler(exc, context)
