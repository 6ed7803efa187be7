from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trede.core import selectors
from trede.core.forms import LogFilterForm, RuleSetForm
from trede.core.models import RuleSet, User
from trede.core.roles import Role
from trede.core.rules import PARAMETERS
from trede.core.services import ruleset_publish
from trede.web.forms import submitted
from trede.web.permissions import role_required


def _filtered(request, selector):
    form = LogFilterForm(request.GET or None)
    kwargs = {}
    if form.is_valid():
        if form.cleaned_data.get("client"):
            kwargs["client_id"] = form.cleaned_data["client"]
        if form.cleaned_data.get("user"):
            user = User.objects.filter(username=form.cleaned_data["user"]).first()
            kwargs["actor_id"] = user.pk if user else -1
    params = request.GET.copy()
    params.pop("pagina", None)
    page = Paginator(selector(**kwargs), 50).get_page(request.GET.get("pagina"))
    return form, page, params.urlencode()


@role_required(Role.AUDITOR)
def audit_log(request):
    form, page, query = _filtered(request, selectors.audit_records)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query})


@role_required(Role.AUDITOR)
def access_log(request):
    form, page, query = _filtered(request, selectors.access_records)
    return render(request, "core/access_log.html", {"form": form, "page": page, "query": query})


@role_required(Role.ADMINISTRATOR)
def rulesets(request):
    form = RuleSetForm(request.POST or None)
    if submitted(request, form, lambda data: ruleset_publish(actor=request.user, **data)):
        messages.success(request, _("De nieuwe versie is gepubliceerd."))
        return redirect("rulesets")
    return render(
        request,
        "core/rulesets.html",
        {
            "form": form,
            "rulesets": RuleSet.objects.select_related("created_by").order_by("scope", "-valid_from"),
            "parameters": PARAMETERS,
        },
    )
