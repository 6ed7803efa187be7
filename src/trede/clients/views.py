from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from trede.activation.rules import TEGENPRESTATIE_STATUS_TEXT, voluntary_now
from trede.activation.selectors import client_activation, tegenprestatie_of
from trede.caseload.selectors import dossier_relation
from trede.clients.forms import CircumstancesForm, LadderForm, PurposeForm
from trede.clients.models import Client
from trede.clients.selectors import client_dossier, client_timeline
from trede.clients.services import circumstances_record, ladder_measure
from trede.core.rules import Access
from trede.core.selectors import rules_on
from trede.employers.selectors import client_work
from trede.obligations.models import ObligationKind
from trede.obligations.rules import Period, is_exempt_in
from trede.pilots.selectors import client_arms
from trede.sanctions.selectors import client_cases
from trede.web.forms import dossier_form_page, submitted
from trede.web.permissions import dossier_view, remember_purpose
from trede.web.timeline import present

TIMELINE_PAGE = 25


def route_context(client_id: int) -> dict:
    """The route part of the dossier: the route in force, a decision waiting for a team lead, the latest intake
    and the honest prospects of clients with a similar profile (intake app's selectors)."""
    from trede.intake.selectors import active_model_version, latest_assessment, prospects_summary, route_decisions

    decisions = list(route_decisions(client_id)[:5])
    latest = latest_assessment(client_id)
    return {
        "route_current": next((d for d in decisions if d.status == "in_force"), None),
        "route_awaiting": next((d for d in decisions if d.status == "awaiting"), None),
        "route_history": decisions,
        "assessment": latest,
        "prospects": prospects_summary(active_model_version(), latest.answers) if latest else None,
    }


@dossier_view(Access.READ)
def dossier(request, client_id: int):
    """The whole dossier on one page, with one timeline of everything that happened (newest first)."""
    today = timezone.localdate()
    client = client_dossier(client_id)
    rules = rules_on(today)
    page = Paginator(client_timeline(client_id), TIMELINE_PAGE).get_page(request.GET.get("pagina"))
    exemptions = list(client.exemptions.all())
    status = []
    for kind in ObligationKind:
        obligations = [o for o in client.obligations.all() if o.kind == kind]
        applies = any(o.start_on <= today and (o.end_on is None or o.end_on >= today) for o in obligations)
        exempt = is_exempt_in((Period(e.start_on, e.effective_end) for e in exemptions if e.obligation == kind), today)
        status.append({"kind": kind, "applies": applies, "exempt": exempt})
    circumstances = list(client.circumstances.all())
    activation = client_activation(client_id)
    tegenprestatie = tegenprestatie_of(
        policy=rules["tegenprestatie_policy"],
        obligations=client.obligations.all(),
        exemptions=exemptions,
        participations=activation["participations"],
        on=today,
    )
    for referral in activation["referrals"]:
        referral.voluntary_now = voluntary_now(
            is_tegenprestatie=referral.activity.is_tegenprestatie, status=tegenprestatie
        )
    context = {
        "client": client,
        "can_write": request.access == Access.WRITE,
        "is_lead": request.user.role == "team_lead",
        "today": today,
        "contact_norm_days": rules["contact_norm_days"],
        "current": circumstances[0] if circumstances else None,
        "circumstances_history": circumstances[1:],
        "ladder": list(client.ladder_measurements.all()),
        "obligation_status": status,
        "exemptions": exemptions,
        "timeline": present(list(page.object_list)),
        "page": page,
        "purpose": request.purpose,
        "assignment": next((a for a in client.assignments.all() if a.end_on is None), None),
        **route_context(client_id),
        **activation,
        **client_work(client_id),
        "sanction_cases": client_cases(client_id),
        "pilot_arms": client_arms(client_id),
        "tegenprestatie_text": TEGENPRESTATIE_STATUS_TEXT[tegenprestatie],
    }
    return render(request, "clients/dossier.html", context)


def purpose(request, client_id: int):
    """Ask why a user opens a colleague's client's dossier before showing it (and log that purpose)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    access, _own = dossier_relation(request.user, client_id)
    if access == Access.NONE:
        from trede.core.audit import access_log

        access_log(
            actor=request.user,
            client_id=client_id,
            purpose="",
            granted=False,
            path=request.path,
            trace_id=request.trace_id,
        )
        raise PermissionDenied
    form = PurposeForm(request.POST or None)
    nxt = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = ""
    if request.method == "POST" and form.is_valid():
        remember_purpose(request, client_id, form.cleaned_data["purpose"])
        return redirect(nxt or "client-dossier", *([] if nxt else [client_id]))
    return render(request, "clients/purpose.html", {"form": form, "client_id": client_id})


@dossier_view(Access.WRITE)
def ladder_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    form = LadderForm(request.POST or None, initial={"measured_on": timezone.localdate()})
    if submitted(request, form, lambda data: ladder_measure(actor=request.user, client=client, **data)):
        messages.success(request, _("De meting is vastgelegd."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Participatieladder meten"),
        intro=_("U legt vast op welke trede de cliënt nu staat. U staat als meter vermeld."),
    )


@dossier_view(Access.WRITE)
def circumstances_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    latest = client.circumstances.first()
    initial = {"recorded_on": timezone.localdate()}
    if latest is not None:
        initial |= {f: getattr(latest, f) for f in CircumstancesForm.base_fields if f != "recorded_on"}
    form = CircumstancesForm(request.POST or None, initial=initial)
    if submitted(request, form, lambda data: circumstances_record(actor=request.user, client=client, **data)):
        messages.success(request, _("De omstandigheden zijn vastgelegd."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Omstandigheden vastleggen"),
        intro=_("Een nieuwe vastlegging vervangt de oude niet: de geschiedenis blijft zichtbaar."),
    )
