"""Permission checks shared by every screen: role checks and dossier access with the access log."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from trede.caseload.selectors import dossier_relation
from trede.core.audit import access_log
from trede.core.roles import Purpose, Role
from trede.core.rules import Access

SESSION_PURPOSES = "dossier_purposes"


def role_required(*roles: str):
    """Only users with one of `roles` may use the view; anyone else gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                if "client_id" in kwargs:
                    access_log(
                        actor=request.user,
                        client_id=kwargs["client_id"],
                        purpose="",
                        granted=False,
                        path=request.path,
                        trace_id=request.trace_id,
                    )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def default_purpose(role: str, access: Access, is_own: bool) -> str | None:
    if role == Role.TEAM_LEAD:
        return Purpose.SUPERVISION
    if is_own:
        return Purpose.GUIDANCE
    return None  # a colleague's client: the user must say why


def dossier_view(needs: Access = Access.READ):
    """A view on one client's dossier (kwarg `client_id`).

    Refused attempts get 403 and are logged. Allowed requests are logged with their purpose: the user's own
    client defaults to guidance, a team lead to supervision; for a colleague's client the user first chooses a
    purpose (kept for this client for the rest of the session). The view receives request.access.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, client_id: int, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            access, own = dossier_relation(user, client_id)
            chosen = request.session.get(SESSION_PURPOSES, {}).get(str(client_id))
            if access.value < needs.value:
                access_log(
                    actor=user,
                    client_id=client_id,
                    purpose=chosen or "",
                    granted=False,
                    path=request.path,
                    trace_id=request.trace_id,
                )
                raise PermissionDenied
            purpose = chosen or default_purpose(user.role, access, own)
            if purpose is None:
                url = reverse("client-purpose", args=[client_id])
                return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
            access_log(
                actor=user,
                client_id=client_id,
                purpose=purpose,
                granted=True,
                path=request.path,
                trace_id=request.trace_id,
            )
            request.access = access
            request.purpose = Purpose(purpose)
            return view(request, client_id, *args, **kwargs)

        return wrapped

    return decorator


def remember_purpose(request, client_id: int, purpose: str) -> None:
    purposes = dict(request.session.get(SESSION_PURPOSES, {}))
    purposes[str(client_id)] = purpose
    request.session[SESSION_PURPOSES] = purposes
