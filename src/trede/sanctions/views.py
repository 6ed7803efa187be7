"""Sanction screens: opening a case from the dossier, one page that walks the case through its steps (only the next
allowed step is offered), the decision letter, and the overview for team leads and auditors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.clients.models import Client
from trede.core.roles import Role
from trede.core.rules import Access
from trede.core.selectors import rules_on
from trede.sanctions import letters, rules, selectors, services
from trede.sanctions.forms import (
    AssessmentForm,
    CaseForm,
    DecisionForm,
    HearingRecordForm,
    HearingScheduleForm,
    ObjectionDecideForm,
    ObjectionForm,
    RevisionForm,
    SendForm,
)
from trede.sanctions.models import CaseStatus, DecisionStatus, SanctionCase
from trede.web.forms import submitted
from trede.web.permissions import dossier_view, role_required


@dossier_view(Access.WRITE)
def case_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    appointments = list(client.appointments.select_related("invitation").order_by("-starts_at")[:20])
    letters_on_file = list(
        client.letters.defer("pdf").select_related("invitation__campaign").order_by("-created_at")[:20]
    )
    job_referrals = list(client.job_referrals.select_related("vacancy__employer").order_by("-status_on")[:20])
    activity_referrals = list(client.referrals.select_related("activity__provider").order_by("-status_on")[:20])
    by_pk = {a.pk: a for a in appointments}
    letter_by_pk = {x.pk: x for x in letters_on_file}
    referral_by_pk = {r.pk: r for r in job_referrals}
    activity_by_pk = {r.pk: r for r in activity_referrals}
    form = CaseForm(
        request.POST or None,
        initial={"breach_on": timezone.localdate()},
        appointments=appointments,
        letters=letters_on_file,
        job_referrals=job_referrals,
        activity_referrals=activity_referrals,
    )
    created = {}

    def write(d):
        created["case"] = services.case_open(
            actor=request.user,
            client=client,
            category=d["category"],
            breach_on=d["breach_on"],
            description=d["description"],
            appointment=by_pk.get(d["appointment"]),
            letter=letter_by_pk.get(d["letter"]),
            job_referral=referral_by_pk.get(d["job_referral"]),
            activity_referral=activity_by_pk.get(d["activity_referral"]),
        )

    if submitted(request, form, write):
        case = created["case"]
        if case.status == CaseStatus.STOPPED:
            messages.warning(request, _("Deze zaak mag niet verder. De reden staat hieronder en is vastgelegd."))
        else:
            messages.success(
                request, _("De zaak is geopend. Nodig de cliënt eerst uit om zijn of haar kant te vertellen.")
            )
        return redirect("sanction-case", client.pk, case.pk)
    return render(request, "sanctions/case_form.html", {"client": client, "form": form})


ACTIONS = {
    "horen": HearingScheduleForm,
    "zienswijze": HearingRecordForm,
    "verwijtbaarheid": AssessmentForm,
    "besluit": DecisionForm,
    "versturen": SendForm,
    "bezwaar": ObjectionForm,
    "beslissing_bezwaar": ObjectionDecideForm,
    "herzien": RevisionForm,
}


@dossier_view(Access.WRITE)
def case_detail(request, client_id: int, case_id: int):
    case = get_object_or_404(selectors.case_detail(), pk=case_id, client_id=client_id)
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {
        "invited_on": today,
        "assessed_on": today,
        "start_on": today,
        "sent_on": today,
        "received_on": today,
        "decided_on": today,
        "complies_on": today,
    }
    forms = {
        name: cls(request.POST if action == name else None, prefix=name, initial=initial)
        for name, cls in ACTIONS.items()
    }
    decisions = list(case.decisions.all())
    draft = next((d for d in decisions if d.status != DecisionStatus.SENT), None)
    sent = [d for d in decisions if d.status == DecisionStatus.SENT]
    for d in sent:
        d.reduction_text = letters.euros(d.reduction_cents)
    open_objection = next((o for d in sent for o in d.objections.all() if not o.outcome), None)
    # the decision in force: a sent one that no other decision replaced; a revision applies to it
    replaced = {d.supersedes_id for d in decisions}
    in_force = next((d for d in sent if d.pk not in replaced and d.pct and d.end_on and d.end_on >= today), None)
    writers = {
        "horen": lambda d: services.hearing_schedule(actor=request.user, case=case, **d),
        "zienswijze": lambda d: services.hearing_record(actor=request.user, case=case, **d),
        "verwijtbaarheid": lambda d: services.assessment_record(actor=request.user, case=case, **d),
        "besluit": lambda d: services.decision_propose(actor=request.user, case=case, **d),
        "versturen": lambda d: _send(request.user, draft, d["sent_on"]),
        "bezwaar": lambda d: services.objection_register(actor=request.user, decision=sent[-1], **d),
        "beslissing_bezwaar": lambda d: services.objection_decide(actor=request.user, objection=open_objection, **d),
        "herzien": lambda d: services.decision_revise(actor=request.user, decision=in_force, **d),
    }
    if action == "heroverwogen" and sent:
        try:
            services.decision_reconsider(
                actor=request.user, decision=sent[-1], on=today, note=request.POST.get("note", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De heroverweging is vastgelegd."))
        return redirect("sanction-case", client_id, case.pk)
    if action == "goedkeuren" and draft is not None:
        try:
            services.decision_approve(actor=request.user, decision=draft)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Het besluit is goedgekeurd."))
        return redirect("sanction-case", client_id, case.pk)
    if action in writers and submitted(request, forms[action], writers[action]):
        messages.success(request, _("Vastgelegd."))
        return redirect("sanction-case", client_id, case.pk)
    proposal = None
    if case.status == CaseStatus.ASSESSED and draft is None:
        proposal = rules.proposal(case.category, case.breach_number, rules_on(case.breach_on))
    return render(
        request,
        "sanctions/case_detail.html",
        {
            "client": case.client,
            "case": case,
            "category": rules.category(case.category),
            "forms": forms,
            "draft": draft,
            "sent": sent,
            "open_objection": open_objection,
            "in_force": in_force,
            "proposal": proposal,
            "proposal_text": rules.period_text(proposal.pct, proposal.months) if proposal else "",
            "is_lead": request.user.role == Role.TEAM_LEAD,
            "today": today,
        },
    )


def _send(actor, draft, sent_on):
    if draft is None:
        raise ValidationError(_("Er is geen besluit om te versturen."))
    pdf = letters.decision_pdf(draft, sent_on=sent_on)
    return services.decision_send(actor=actor, decision=draft, sent_on=sent_on, pdf=pdf)


@dossier_view(Access.READ)
def decision_letter(request, client_id: int, case_id: int, decision_id: int):
    case = get_object_or_404(SanctionCase, pk=case_id, client_id=client_id)
    decision = case.decisions.filter(pk=decision_id).only("pk", "pdf").first()
    if decision is None or not decision.pdf:
        raise Http404
    response = HttpResponse(bytes(decision.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="besluit-{decision.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.TEAM_LEAD, Role.AUDITOR)
def overview(request):
    """Cases by stage, outcome and culpability, and per group, so that disproportionate sanctioning is visible."""
    return render(request, "sanctions/overview.html", selectors.overview(timezone.localdate()))
