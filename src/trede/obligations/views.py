from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.clients.models import Client
from trede.core.rules import Access
from trede.core.selectors import rules_on
from trede.obligations.forms import ExemptionEndForm, ExemptionForm
from trede.obligations.models import Exemption
from trede.obligations.rules import default_review_on
from trede.obligations.services import exemption_end, exemption_grant
from trede.web.forms import add_service_errors
from trede.web.permissions import dossier_view


@dossier_view(Access.WRITE)
def exemption_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    form = ExemptionForm(request.POST or None, initial={"start_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["review_on"] is None and data["end_on"] is None:
            rules = rules_on(data["start_on"])
            if data["ground"] in rules["exemption_grounds"]:
                data["review_on"] = default_review_on(
                    ground=data["ground"],
                    start_on=data["start_on"],
                    grounds=rules["exemption_grounds"],
                    local_review_months=rules["exemption_review_months"],
                )
        try:
            exemption_grant(actor=request.user, client=client, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De ontheffing is verleend en staat op de tijdlijn."))
            return redirect("client-dossier", client.pk)
    return render(
        request,
        "web/form_page.html",
        {
            "client": client,
            "form": form,
            "title": _("Ontheffing verlenen"),
            "intro": _(
                "Een ontheffing heft één verplichting op voor een periode, op een wettelijke grond. "
                "Brieven, oproepen en maatregelen houden er rekening mee."
            ),
        },
    )


@dossier_view(Access.WRITE)
def exemption_stop(request, client_id: int, exemption_id: int):
    exemption = get_object_or_404(Exemption.objects.select_related("client"), pk=exemption_id, client_id=client_id)
    form = ExemptionEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            exemption_end(
                actor=request.user,
                exemption=exemption,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De ontheffing is beëindigd."))
            return redirect("client-dossier", client_id)
    return render(
        request,
        "web/form_page.html",
        {
            "client": exemption.client,
            "form": form,
            "title": _("Ontheffing beëindigen: %(o)s") % {"o": exemption.get_obligation_display()},
        },
    )
