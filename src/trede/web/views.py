import contextlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from trede.core.roles import Role
from trede.core.services import user_set_language

HOME_BY_ROLE = {
    Role.CASEWORKER: "caseload",
    Role.TEAM_LEAD: "team",
    Role.ADMINISTRATOR: "rulesets",
    Role.AUDITOR: "audit-log",
    Role.POLICY_ANALYST: "figures",
    Role.PROVIDER: "provider-referrals",
    Role.EMPLOYER_ADVISER: "employers",
}


@login_required
def home(request):
    target = HOME_BY_ROLE.get(request.user.role)
    if target:
        return redirect(target)
    return render(request, "web/home.html")


@login_required
@require_POST
def set_language(request):
    with contextlib.suppress(ValidationError):  # an unknown language leaves the setting as it was
        user_set_language(actor=request.user, language=request.POST.get("language", ""))
    nxt = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    return redirect(nxt)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
