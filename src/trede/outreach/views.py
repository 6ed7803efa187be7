"""Campaign pages (team lead, functional administrator): the list, a new campaign, its preview with exclusions
per reason and the capacity it needs, and planning its cohorts."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trede.caseload.selectors import clients_in_reach, team_caseworkers, team_of
from trede.core.roles import Role
from trede.core.rules import Access
from trede.core.selectors import rules_on
from trede.outreach import selectors
from trede.outreach.forms import CampaignForm, OutcomeForm
from trede.outreach.models import Appointment, Campaign, Cohort, InvitationStatus, Purpose
from trede.outreach.rules import EXCLUSION_LABELS, EXCLUSION_ORDER
from trede.outreach.services import appointment_outcome_record, campaign_create, campaign_plan, cohort_schedule
from trede.web.forms import submitted
from trede.web.permissions import dossier_view, role_required

ORGANISERS = (Role.TEAM_LEAD, Role.ADMINISTRATOR)


@role_required(*ORGANISERS)
def campaigns(request):
    rows = Campaign.objects.annotate(n_invited=Count("invitations")).select_related("created_by")
    return render(request, "outreach/campaigns.html", {"campaigns": rows})


@role_required(*ORGANISERS)
def campaign_new(request):
    today = timezone.localdate()
    form = CampaignForm(
        request.POST or None, initial={"starts_on": today, "order": "district", "purpose": "introduction"}
    )
    created = {}

    def write(data):
        data = {k: v for k, v in data.items() if v not in (None, "")}
        data["districts"] = list(data.get("districts", []))
        created["campaign"] = campaign_create(actor=request.user, **data)

    if submitted(request, form, write):
        messages.success(request, _("De oproep is aangemaakt. Bekijk wie er opgeroepen wordt voordat u plant."))
        return redirect("campaign-detail", created["campaign"].pk)
    return render(request, "outreach/campaign_form.html", {"form": form})


@role_required(*ORGANISERS)
def campaign_detail(request, campaign_id: int):
    """The preview: how many match, how many may be invited, who is excluded and why, the capacity per cohort."""
    campaign = get_object_or_404(Campaign.objects.select_related("created_by"), pk=campaign_id)
    today = timezone.localdate()
    rules = rules_on(today)
    is_lead = request.user.role == Role.TEAM_LEAD
    preview = selectors.preview(campaign, today, horizon_days=rules["due_horizon_days"], with_sample=is_lead)
    if is_lead:  # names only of clients the team lead may open (one query, also for an empty sample)
        reach = set(
            clients_in_reach(request.user).filter(pk__in=[c.pk for c in preview.sample]).values_list("pk", flat=True)
        )
        preview.sample = [c for c in preview.sample if c.pk in reach]
    to_plan = preview.invitable - preview.already_invited
    per_cohort = min(campaign.cohort_size, max(to_plan, 0)) or campaign.cohort_size
    capacity = selectors.capacity(
        campaign, per_cohort=per_cohort, talk_minutes=rules["talk_minutes"], share_pct=rules["talk_hours_share_pct"]
    )
    cohorts = campaign.cohorts.annotate(
        n=Count("invitations", distinct=True),
        n_scheduled=Count("invitations", filter=Q(invitations__appointments__isnull=False), distinct=True),
    ).order_by("number")
    results, results_total = selectors.campaign_results(campaign)
    return render(
        request,
        "outreach/campaign_detail.html",
        {
            "results": results,
            "results_total": results_total,
            "result_labels": [InvitationStatus(c).label for c in selectors.RESULT_COLUMNS],
            "campaign": campaign,
            "preview": preview,
            "excluded": [(EXCLUSION_LABELS[r], preview.excluded[r]) for r in EXCLUSION_ORDER],
            "to_plan": to_plan,
            "capacity": capacity,
            "cohorts": cohorts,
            "is_lead": is_lead,
            "reviewing": campaign.purpose == Purpose.EXEMPTION_REVIEW,
            "talk_minutes": rules["talk_minutes"],
            "share_pct": rules["talk_hours_share_pct"],
            "today": today,
        },
    )


@role_required(*ORGANISERS)
@require_POST
def campaign_plan_view(request, campaign_id: int):
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    try:
        added = campaign_plan(actor=request.user, campaign=campaign, on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d cliënten zijn in cohorten geplaatst.") % {"n": added})
    return redirect("campaign-detail", campaign.pk)


@role_required(*ORGANISERS)
@require_POST
def cohort_schedule_view(request, campaign_id: int, number: int):
    cohort = get_object_or_404(Cohort.objects.select_related("campaign"), campaign_id=campaign_id, number=number)
    try:
        made = cohort_schedule(actor=request.user, cohort=cohort)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d afspraken ingepland.") % {"n": made})
    return redirect("campaign-detail", campaign_id)


@role_required(Role.CASEWORKER, Role.TEAM_LEAD)
def agenda(request):
    """A caseworker's talks for a day or a week (a team lead chooses a caseworker of the team)."""
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        day = today
    week = request.GET.get("weergave") == "week"
    start = day - dt.timedelta(days=day.weekday()) if week else day
    end = start + dt.timedelta(days=7 if week else 1)
    caseworkers = []
    who = request.user
    if request.user.role == Role.TEAM_LEAD:
        caseworkers = list(team_caseworkers(team_of(request.user)))
        chosen = request.GET.get("klantmanager", "")
        who = next((c for c in caseworkers if str(c.pk) == chosen), caseworkers[0] if caseworkers else request.user)
    tz = timezone.get_current_timezone()
    rows = (
        Appointment.objects.filter(
            caseworker=who,
            starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            starts_at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz),
        )
        .select_related("client", "invitation__campaign")
        .order_by("starts_at")
    )
    step = dt.timedelta(days=7 if week else 1)
    return render(
        request,
        "outreach/agenda.html",
        {
            "appointments": rows,
            "who": who,
            "caseworkers": caseworkers,
            "day": day,
            "start": start,
            "end": end - dt.timedelta(days=1),
            "week": week,
            "previous": start - step,
            "next": start + step,
            "now": timezone.now(),
        },
    )


@dossier_view(Access.WRITE)
def appointment_outcome(request, client_id: int, appointment_id: int):
    appointment = get_object_or_404(
        Appointment.objects.select_related("client", "caseworker", "invitation__campaign"),
        pk=appointment_id,
        client_id=client_id,
    )
    form = OutcomeForm(request.POST or None)

    def write(data):
        appointment_outcome_record(actor=request.user, appointment=appointment, **data)

    if appointment.outcome == "open" and submitted(request, form, write):
        messages.success(request, _("De uitkomst van de afspraak is vastgelegd."))
        return redirect("agenda")
    return render(
        request,
        "outreach/appointment_outcome.html",
        {
            "appointment": appointment,
            "client": appointment.client,
            "form": form if appointment.outcome == "open" else None,
        },
    )
