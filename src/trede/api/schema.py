"""OpenAPI details that drf-spectacular cannot infer: the purpose of a dossier read, error bodies, tags."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from trede.core.roles import Purpose

PURPOSE_DESCRIPTION = (
    "Why the dossier is opened; every request on a dossier is written to the access log with it. Given as the "
    "`purpose` query parameter or the `X-Purpose` header (the query parameter wins). Which purposes are allowed "
    "depends on the caller's relationship to the client: "
    "the caseworker's own client: `guidance` or `api` (default `api`); "
    "a team lead, for a client of the team: `supervision` or `api` (default `api`); "
    "a colleague's client (a caseworker of the same team, read-only): only `substitution` or `consultation`, "
    "and there is no default. "
    "A missing purpose where there is no default, an unknown purpose or one that does not fit the relationship is "
    "refused with 400 naming `purpose` (listing the allowed ones), and the refused attempt is written to the access "
    "log (granted false). Without access to the dossier at all the answer is 403, whatever the purpose."
)

PURPOSE_PARAMETERS = [
    OpenApiParameter(
        "purpose",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        required=False,
        enum=Purpose.values,
        description=PURPOSE_DESCRIPTION,
    ),
    OpenApiParameter(
        "X-Purpose",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=False,
        enum=Purpose.values,
        description=PURPOSE_DESCRIPTION,
    ),
]

FIELD_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"bsn": ["Dit BSN klopt niet (de elfproef faalt). Controleer het nummer op typefouten."]},
    },
    description='Validation errors per field: {"field": ["message", ...]}; errors of no single field under '
    '"non_field_errors".',
)

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FORBIDDEN = OpenApiResponse(response=DETAIL, description="No access to this dossier (the attempt is logged).")
UNAUTHENTICATED = OpenApiResponse(response=DETAIL, description="No or an invalid token.")
NOT_FOUND = OpenApiResponse(response=DETAIL, description="Not found in this dossier.")


class TredeAutoSchema(AutoSchema):
    """Adds the purpose parameters to every dossier endpoint and tags operations by resource."""

    def get_override_parameters(self):
        params = super().get_override_parameters()
        if getattr(self.view, "dossier", False):
            params = [*params, *PURPOSE_PARAMETERS]
        return params

    def _get_response_bodies(self, direction="response"):
        """Every operation documents its error bodies: 401, 403, and 400 where input is checked."""
        responses = super()._get_response_bodies(direction)
        dossier = getattr(self.view, "dossier", False)
        extra = {"401": UNAUTHENTICATED, "403": FORBIDDEN}
        if self.method not in ("GET", "HEAD", "OPTIONS") or dossier or getattr(self.view, "query_serializer", None):
            extra["400"] = FIELD_ERRORS
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))

    def get_tags(self) -> list[str]:
        tag = getattr(self.view, "schema_tag", None)
        return [tag] if tag else super().get_tags()
