"""Who may use which endpoint: the same rules as the screens (core.rules.dossier_access through
caseload.selectors.dossier_relation), with every dossier request written to the access log (channel "api") with
a purpose that fits the caller's relationship to the client (allowed_purposes)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from trede.activation.services import provider_of
from trede.caseload.selectors import dossier_relation
from trede.core.audit import access_log
from trede.core.roles import Purpose, Role
from trede.core.rules import Access

CASELOAD_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD)
CATALOGUE_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD, Role.ADMINISTRATOR, Role.PROVIDER)


class HasCaseloadRole(BasePermission):
    """Caseworkers and team leads only: the roles that work with clients. Policy analysts, administrators and
    auditors never see a client (aggregates, rule sets and logs respectively)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.role in CASELOAD_ROLES)


def own_provider(request):
    """The provider the caller works for (trede.activation.services.provider_of), looked up once per request;
    None for every role but 'provider', and for a provider account not (yet) linked to its organisation."""
    if not hasattr(request, "_trede_provider"):
        request._trede_provider = provider_of(request.user)
    return request._trede_provider


class HasCatalogueRole(BasePermission):
    """The activity catalogue: caseworkers and team leads (offered activities), the functional administrator (all)
    and a provider's staff (their own provider's activities; an account not linked to a provider sees nothing)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.role in CATALOGUE_ROLES):
            return False
        return user.role != Role.PROVIDER or own_provider(request) is not None


EMPLOYER_ROLES = (Role.EMPLOYER_ADVISER, Role.TEAM_LEAD)


class HasEmployerRole(BasePermission):
    """Employer services, as the screens (trede.employers.views.ADVISERS): the employer adviser and the team lead.
    A view may let more roles read (GET) through `extra_read_roles`: caseworkers the open vacancies, policy analysts
    the durability figures. Writing stays with the adviser and the team lead."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        roles = EMPLOYER_ROLES
        if request.method in SAFE_METHODS:
            roles = (*roles, *getattr(view, "extra_read_roles", ()))
        return user.role in roles


class IsProviderStaff(BasePermission):
    """A provider's staff (role 'provider', linked to its organisation by a ProviderMember): its own referrals only.
    No other role: caseworkers see referrals in the dossier."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role == Role.PROVIDER and own_provider(request) is not None)


# The largest id the database stores (BigAutoField / the access log's BigIntegerField): a larger id in a URL
# is no record of ours, and answering 404 before any query keeps it out of the access log (it would not fit).
MAX_ID = 2**63 - 1


def allowed_purposes(role: str, access: Access, is_own: bool) -> tuple[tuple[str, ...], str | None]:
    """The purposes the caller may state for this dossier, and the one assumed when none is stated.

    The same relationship as the screens (web.permissions.default_purpose), plus "api" for a program that reads
    on the caller's own behalf: own client (caseworker) guidance or api, default api; team lead supervision or
    api, default api; a colleague's client (read-only) only substitution or consultation, with no default, so
    the caller must always say why."""
    if access == Access.NONE:
        return (), None
    if role == Role.TEAM_LEAD:
        return (Purpose.SUPERVISION, Purpose.API), Purpose.API
    if is_own:
        return (Purpose.GUIDANCE, Purpose.API), Purpose.API
    return (Purpose.SUBSTITUTION, Purpose.CONSULTATION), None


def request_purpose(request) -> str:
    """The purpose the caller states for reading a dossier: ?purpose=, else the X-Purpose header ("" if none)."""
    return request.query_params.get("purpose") or request.headers.get("X-Purpose") or ""


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
    with their purpose. An unknown client is refused like a client out of reach (no existence oracle); an id
    too large for the database is 404 and not logged.

    The purpose (?purpose= or X-Purpose) must be one that allowed_purposes() gives for the caller's relationship
    to the client. A missing purpose where there is no default (a colleague's client), an unknown one or one that
    does not fit is refused with 400 naming `purpose` (only once access itself is allowed, so the answer reveals
    nothing to someone without access), and that attempt is logged with granted=False.
    """

    dossier = True  # read by the schema to document the purpose parameters
    write_roles: tuple[str, ...] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.client_id = int(kwargs["client_id"])
        if self.client_id > MAX_ID:
            raise exceptions.NotFound()
        user = request.user
        writing = request.method not in SAFE_METHODS
        needs = Access.WRITE if writing else Access.READ
        self.access, own = dossier_relation(user, self.client_id)
        allowed = self.access.value >= needs.value and (
            not writing or self.write_roles is None or user.role in self.write_roles
        )
        stated = request_purpose(request)
        known = stated if stated in Purpose.values else ""
        log = {
            "actor": user,
            "client_id": self.client_id,
            "channel": "api",
            "path": request.path,
            "trace_id": getattr(request, "trace_id", ""),
        }
        if not allowed:
            access_log(purpose=known, granted=False, **log)
            raise exceptions.PermissionDenied()
        choices, default = allowed_purposes(user.role, self.access, own)
        purpose = stated or default
        if purpose not in choices:
            access_log(purpose=known, granted=False, **log)
            raise exceptions.ValidationError({"purpose": [purpose_error(stated, choices)]})
        self.purpose = purpose
        access_log(purpose=purpose, granted=True, **log)


def purpose_error(stated: str, choices: tuple[str, ...]) -> str:
    listed = ", ".join(choices)
    if stated and stated not in Purpose.values:
        return _("Onbekend doel %(value)s; kies uit: %(choices)s.") % {"value": stated, "choices": listed}
    return _("Geef aan waarom u dit dossier opent; kies uit: %(choices)s.") % {"choices": listed}
