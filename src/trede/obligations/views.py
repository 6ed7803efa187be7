from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.clients.models import Client
from trede.core.rules import Access, add_months
from trede.core.selectors import rules_on
from trede.obligations.forms import ExemptionEndForm, ExemptionForm, ExemptionReviewForm
from trede.obligations.models import Exemption
from trede.obligations.rules import default_review_on
from trede.obligations.services import exemption_end, exemption_grant, exemption_review
from trede.web.forms import dossier_form_page, submitted
from trede.web.permissions import dossier_view


def _with_default_review(data: dict) -> dict:
    """Without an end or review date, propose the review term of the rule set valid on the start date."""
    if data["review_on"] is None and data["end_on"] is None:
        rules = rules_on(data["start_on"])
        if data["ground"] in rules.get("exemption_grounds", {}):
            data = data | {
                "review_on": default_review_on(
                    ground=data["ground"],
                    start_on=data["start_on"],
                    grounds=rules["exemption_grounds"],
                    local_review_months=rules["exemption_review_months"],
                )
            }
    return data


@dossier_view(Access.WRITE)
def exemption_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    form = ExemptionForm(request.POST or None, initial={"start_on": timezone.localdate()})
    if submitted(
        request, form, lambda data: exemption_grant(actor=request.user, client=client, **_with_default_review(data))
    ):
        messages.success(request, _("De ontheffing is verleend en staat op de tijdlijn."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Ontheffing verlenen"),
        intro=_(
            "Een ontheffing heft één verplichting op voor een periode, op een wettelijke grond. "
            "Brieven, oproepen en maatregelen houden er rekening mee."
        ),
    )


@dossier_view(Access.WRITE)
def exemption_stop(request, client_id: int, exemption_id: int):
    exemption = get_object_or_404(Exemption.objects.select_related("client"), pk=exemption_id, client_id=client_id)
    form = ExemptionEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})

    def write(data):
        exemption_end(actor=request.user, exemption=exemption, ended_on=data["ended_on"], reason=data["end_reason"])

    if submitted(request, form, write):
        messages.success(request, _("De ontheffing is beëindigd."))
        return redirect("client-dossier", client_id)
    return dossier_form_page(
        request,
        exemption.client,
        form,
        title=_("Ontheffing beëindigen: %(o)s") % {"o": exemption.get_obligation_display()},
    )


@dossier_view(Access.WRITE)
def exemption_review_create(request, client_id: int, exemption_id: int):
    exemption = get_object_or_404(Exemption.objects.select_related("client"), pk=exemption_id, client_id=client_id)
    today = timezone.localdate()
    rules = rules_on(today)
    spec = rules.get("exemption_grounds", {}).get(exemption.ground, {})
    suggested = add_months(today, spec.get("review_months") or rules["exemption_review_months"])
    if exemption.effective_end is not None:
        suggested = min(suggested, exemption.effective_end)
    form = ExemptionReviewForm(request.POST or None, initial={"reviewed_on": today, "next_review_on": suggested})
    if submitted(request, form, lambda data: exemption_review(actor=request.user, exemption=exemption, **data)):
        messages.success(request, _("De herbeoordeling is vastgelegd."))
        return redirect("client-dossier", client_id)
    return dossier_form_page(
        request,
        exemption.client,
        form,
        title=_("Ontheffing herbeoordelen: %(o)s") % {"o": exemption.get_obligation_display()},
        intro=_("De ontheffing loopt door tot de volgende herbeoordeling. Moet ze stoppen? Kies dan Beëindigen."),
    )
