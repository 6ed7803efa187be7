"""Who may use which endpoint: the same rules as the screens (core.rules.dossier_access through
caseload.selectors.access_to_client), with every dossier request written to the access log (channel "api")."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from trede.caseload.selectors import access_to_client
from trede.core.audit import access_log
from trede.core.roles import Purpose, Role
from trede.core.rules import Access

CASELOAD_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD)


class HasCaseloadRole(BasePermission):
    """Caseworkers and team leads only: the roles that work with clients. Policy analysts, administrators and
    auditors never see a client (aggregates, rule sets and logs respectively)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.role in CASELOAD_ROLES)


def request_purpose(request) -> str:
    """The purpose the caller states for reading a dossier: ?purpose=, else the X-Purpose header, else "api"."""
    return request.query_params.get("purpose") or request.headers.get("X-Purpose") or Purpose.API


class UserLanguageMixin:
    """Answer in the user's own language. The middleware cannot do this for token-authenticated requests,
    because DRF authenticates only inside the view."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        language = getattr(request.user, "language", None)
        if language:
            translation.activate(language)
            request._request.LANGUAGE_CODE = language


class DossierMixin(UserLanguageMixin):
    """A view on one client's dossier (URL kwarg `client_id`).

    Reading needs READ access, writing (any unsafe method) WRITE access, and when `write_roles` is set also one of
    those roles. Every attempt is access-logged: refused ones with granted=False before the 403, allowed ones
    with the stated purpose. An unknown client is refused like a client out of reach (no existence oracle).
    """

    dossier = True  # read by the schema to document the purpose parameters
    write_roles: tuple[str, ...] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.client_id = int(kwargs["client_id"])
        user = request.user
        writing = request.method not in SAFE_METHODS
        needs = Access.WRITE if writing else Access.READ
        self.access = access_to_client(user, self.client_id)
        allowed = self.access.value >= needs.value and (
            not writing or self.write_roles is None or user.role in self.write_roles
        )
        purpose = request_purpose(request)
        valid_purpose = purpose in Purpose.values
        log = {
            "actor": user,
            "client_id": self.client_id,
            "channel": "api",
            "path": request.path,
            "trace_id": getattr(request, "trace_id", ""),
        }
        if not allowed:
            access_log(purpose=purpose if valid_purpose else "", granted=False, **log)
            raise exceptions.PermissionDenied()
        if not valid_purpose:
            raise exceptions.ValidationError(
                {
                    "purpose": [
                        _("Onbekend doel %(value)s; kies uit: %(choices)s.")
                        % {"value": purpose, "choices": ", ".join(Purpose.values)}
                    ]
                }
            )
        self.purpose = purpose
        access_log(purpose=purpose, granted=True, **log)
