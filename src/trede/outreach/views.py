"""Campaign pages (team lead, functional administrator): the list, a new campaign, its preview with exclusions
per reason and the capacity it needs, and planning its cohorts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trede.caseload.selectors import clients_in_reach
from trede.core.roles import Role
from trede.core.selectors import rules_on
from trede.outreach import selectors
from trede.outreach.forms import CampaignForm
from trede.outreach.models import Campaign, Purpose
from trede.outreach.rules import EXCLUSION_LABELS, EXCLUSION_ORDER
from trede.outreach.services import campaign_create, campaign_plan
from trede.web.forms import submitted
from trede.web.permissions import role_required

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
    if is_lead and preview.sample:  # names only of clients the team lead may open
        reach = set(
            clients_in_reach(request.user).filter(pk__in=[c.pk for c in preview.sample]).values_list("pk", flat=True)
        )
        preview.sample = [c for c in preview.sample if c.pk in reach]
    to_plan = preview.invitable - preview.already_invited
    per_cohort = min(campaign.cohort_size, max(to_plan, 0)) or campaign.cohort_size
    capacity = selectors.capacity(
        campaign, per_cohort=per_cohort, talk_minutes=rules["talk_minutes"], share_pct=rules["talk_hours_share_pct"]
    )
    cohorts = campaign.cohorts.annotate(n=Count("invitations")).order_by("number")
    return render(
        request,
        "outreach/campaign_detail.html",
        {
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
