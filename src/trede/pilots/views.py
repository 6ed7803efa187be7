"""Pilot screens. No pilot page shows a client's name or BSN: only numbers of people, suppressed below 10
(pilots.report). The one page about a single client (what a client actually received) is part of the dossier and
goes through its access check and log.

Roles: the policy analyst defines, registers, draws, looks (safety monitor), analyses, and takes a finished pilot's
effect into a simulation scenario; a team lead reads the pilots that run (monitor) and the finished reports and
register."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trede.core.privacy import SMALL_GROUP, suppress
from trede.core.roles import Role
from trede.core.rules import Access, add_months
from trede.pilots import report, rules, selectors, services, to_scenario
from trede.pilots.forms import (
    CampaignPilotForm,
    CrossoverForm,
    ObservationalForm,
    PilotForm,
    PilotScenarioForm,
    ReasonForm,
    SearchForm,
    criteria_text,
)
from trede.pilots.models import Pilot, PilotAssignment, Status
from trede.web.forms import submitted
from trede.web.permissions import dossier_view, role_required

ANALYST = Role.POLICY_ANALYST
READERS = (Role.POLICY_ANALYST, Role.TEAM_LEAD)


def _power(form: PilotForm, today) -> tuple[rules.PowerSummary, int | None]:
    """The power of the plan in the form (valid fields only), for the people eligible today."""
    d = getattr(form, "cleaned_data", {}) or {}
    unit = d.get("unit") or "client"
    n, clusters = selectors.eligible_count(form.criteria(), today, unit=unit)
    cluster_size = d.get("cluster_size") or (n / clusters if clusters else 1.0)
    return rules.plan_power(
        n=n,
        baseline_pct=d.get("baseline_pct"),
        effect_pp=d.get("target_effect_pp"),
        weights=(d.get("weight_intervention") or 1, d.get("weight_control") or 1),
        icc=(d.get("icc") or 0.0) if unit != "client" else 0.0,
        cluster_size=max(cluster_size, 1.0) if unit != "client" else 1.0,
    ), clusters


def _power_context(form, today) -> dict:
    power, clusters = _power(form, today)
    return {"power": power, "clusters": clusters, "threshold": SMALL_GROUP}


@role_required(*READERS)
def pilot_list(request):
    statuses = None if request.user.role == ANALYST else [Status.RANDOMISED, Status.ANALYSED]
    return render(
        request,
        "pilots/list.html",
        {"pilots": selectors.pilot_list(statuses=statuses), "is_analyst": request.user.role == ANALYST},
    )


def _form_page(request, pilot: Pilot | None):
    today = timezone.localdate()
    available = services.exemption_action_available()
    initial = PilotForm.initial_of(pilot) if pilot else {}
    form = PilotForm(request.POST or None, initial=initial, exemption_available=available)
    if request.method == "POST" and "_power" in request.POST:
        form.is_valid()  # only to show the power of what was typed; nothing is saved
        return render(request, "pilots/form.html", {"form": form, "pilot": pilot, **_power_context(form, today)})
    saved = {}

    def write(d):
        saved["pilot"] = services.pilot_save(actor=request.user, pilot=pilot, **form.plan())

    if submitted(request, form, write):
        messages.success(request, _("Het plan is opgeslagen als concept."))
        return redirect("pilot-detail", saved["pilot"].pk)
    context = {"form": form, "pilot": pilot}
    if form.is_bound:
        context.update(_power_context(form, today))
    elif pilot is not None:
        bound = PilotForm(_initial_data(initial), exemption_available=available)  # the stored plan, for its power
        bound.is_valid()
        context.update(_power_context(bound, today))
    else:
        context.update(_power_context(PilotForm({}, exemption_available=available), today))
    return render(request, "pilots/form.html", context)


def _initial_data(initial: dict) -> dict:
    """Form data (as a browser would send it) from a pilot's stored values."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in initial.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data.setlist(key, [str(v) for v in value])
        else:
            data[key] = str(value)
    return data


@role_required(ANALYST)
def pilot_create(request):
    return _form_page(request, None)


@role_required(ANALYST)
def pilot_edit(request, pilot_id: int):
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    if pilot.status != Status.DRAFT:
        messages.error(request, _("Het plan is vastgelegd en verandert niet meer."))
        return redirect("pilot-detail", pilot.pk)
    return _form_page(request, pilot)


@role_required(ANALYST)
def pilot_power(request):
    """The power of the plan in the form, as the form changes (htmx); the same figures as on the page."""
    form = PilotForm(request.GET or None, exemption_available=services.exemption_action_available())
    if form.is_bound:
        form.is_valid()
    else:
        form = PilotForm({}, exemption_available=False)
        form.is_valid()
    return render(request, "pilots/_power.html", _power_context(form, timezone.localdate()))


@role_required(ANALYST)
def pilot_detail(request, pilot_id: int):
    pilot = get_object_or_404(Pilot.objects.select_related("campaign"), pk=pilot_id)
    today = timezone.localdate()
    context = {
        "pilot": pilot,
        "design": report.design_facts(pilot),
        "today": today,
        "can_analyse": pilot.status == Status.RANDOMISED and today >= pilot.analysis_date,
    }
    if pilot.status == Status.DRAFT:
        bound = PilotForm(
            _initial_data(PilotForm.initial_of(pilot)), exemption_available=services.exemption_action_available()
        )
        bound.is_valid()
        context.update(_power_context(bound, today))
    return render(request, "pilots/detail.html", context)


@role_required(ANALYST)
def pilot_register(request, pilot_id: int):
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    if request.method != "POST":
        return redirect("pilot-detail", pilot.pk)
    try:
        services.pilot_register(actor=request.user, pilot=pilot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Het plan is vastgelegd. Het verandert niet meer; nu kan de loting."))
    return redirect("pilot-detail", pilot.pk)


@role_required(ANALYST)
def pilot_analyse(request, pilot_id: int):
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    if request.method != "POST":
        return redirect("pilot-detail", pilot.pk)
    try:
        services.pilot_analyse(actor=request.user, pilot=pilot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("pilot-detail", pilot.pk)
    messages.success(request, _("De analyse is gemaakt."))
    return redirect("pilot-report", pilot.pk)


@role_required(ANALYST)
def pilot_randomise(request, pilot_id: int):
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            services.pilot_randomise(actor=request.user, pilot=pilot)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De loting is gedaan en vastgelegd."))
        return redirect("pilot-randomise", pilot.pk)
    context = {"pilot": pilot, "today": today}
    if pilot.status == Status.REGISTERED:
        n, clusters = selectors.eligible_count(pilot.criteria, today, unit=pilot.unit)
        context.update(
            eligible=n, clusters=clusters, eligible_shown=suppress(n), criteria=criteria_text(pilot.criteria)
        )
        context["last_day"] = add_months(pilot.analysis_date, -pilot.follow_up_months)
    elif pilot.status in (Status.RANDOMISED, Status.ANALYSED):
        context["monitoring"] = report.monitoring(pilot, today)
    return render(request, "pilots/randomise.html", context)


@role_required(*READERS)
def pilot_monitor(request, pilot_id: int):
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    if pilot.status not in (Status.RANDOMISED, Status.ANALYSED):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "pilots/monitor.html",
        {
            "pilot": pilot,
            "monitoring": report.monitoring(pilot, today),
            "today": today,
            "follow_up_end": add_months(pilot.randomised_on, pilot.follow_up_months),
            "looks": pilot.safety_looks.select_related("opened_by").order_by("-opened_at"),
            "is_analyst": request.user.role == ANALYST,
            "threshold": SMALL_GROUP,
        },
    )


@role_required(ANALYST)
def pilot_safety(request, pilot_id: int):
    """The safety monitor: outcome differences before the analysis date, opened with a reason (logged). The results
    are shown once, in the answer to opening them."""
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    if pilot.status != Status.RANDOMISED:
        raise Http404
    form = ReasonForm(request.POST or None)
    opened = {}

    def write(d):
        opened["look"] = services.safety_look_open(actor=request.user, pilot=pilot, reason=d["reason"])

    context = {"pilot": pilot, "form": form, "looks": pilot.safety_looks.select_related("opened_by")}
    if submitted(request, form, write):
        look = opened["look"]
        context.update(report.report_context(pilot, look.results))
        context["look"] = look
        context["form"] = None
    return render(request, "pilots/safety.html", context)


@role_required(*READERS)
def pilot_report(request, pilot_id: int):
    pilot = get_object_or_404(Pilot.objects.select_related("report"), pk=pilot_id)
    if pilot.status != Status.ANALYSED:
        raise Http404
    return render(request, "pilots/report.html", report.report_context(pilot, pilot.report.results))


@role_required(ANALYST)
def pilot_scenario(request, pilot_id: int):
    """The effect an analysed pilot measured as a lever's effect size in a new simulation scenario: per fitting
    outcome the converted multiplier with its interval and how it was converted; the analyst picks the lever and the
    outcome, and is taken to the saved scenario."""
    pilot = get_object_or_404(Pilot.objects.select_related("report"), pk=pilot_id)
    if pilot.status != Status.ANALYSED:
        raise Http404
    shown, levers = to_scenario.offer(pilot.report.results, follow_up_months=pilot.follow_up_months)
    form = PilotScenarioForm(
        request.POST or None,
        levers=[(lever.parameter, lever.label) for lever in levers],
        outcomes=[(c.outcome, c.label) for c in shown if c.ok],
    )
    made = {}

    def write(d):
        made["saved"] = services.scenario_from_pilot(
            actor=request.user, pilot=pilot, lever=d["lever"], outcome=d["outcome"], bounds=d["bounds"]
        )

    if levers and submitted(request, form, write):
        messages.success(request, _("Het scenario is opgeslagen. Hieronder staat elke waarde met haar bron."))
        return redirect("simulation-scenario", made["saved"].name)
    return render(
        request,
        "pilots/to_scenario.html",
        {
            "pilot": pilot,
            "form": form if levers else None,
            "conversions": shown,
            "levers": [
                {
                    "lever": lever,
                    "fits": [str(rules.OUTCOMES[o].label) for o in to_scenario.FITTING[lever.kind]],
                    "switches": to_scenario.switch_rows(lever),
                    "switch_title": to_scenario.switch_title(lever),
                }
                for lever in levers
            ],
        },
    )


@role_required(*READERS)
def pilot_report_pdf(request, pilot_id: int):
    pilot = get_object_or_404(Pilot.objects.select_related("report"), pk=pilot_id)
    if pilot.status != Status.ANALYSED:
        raise Http404
    response = HttpResponse(bytes(pilot.report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pilot-{pilot.pk}-rapport.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(ANALYST)
def pilot_from_campaign(request):
    from django.db.models import Count

    from trede.outreach.models import Campaign, CohortOrder

    campaigns = (
        Campaign.objects.filter(order=CohortOrder.RANDOM, seed__isnull=False, pilot__isnull=True)
        .annotate(n_cohorts=Count("cohorts"))
        .filter(n_cohorts__gte=2)
        .order_by("-created_at")
    )
    form = CampaignPilotForm(request.POST or None, campaigns=campaigns)
    made = {}

    def write(d):
        made["pilot"] = services.pilot_from_campaign(
            actor=request.user,
            campaign=d["campaign"],
            name=d["name"],
            question=d["question"],
            primary_outcome=d["primary_outcome"],
            secondary_outcomes=d["secondary_outcomes"],
            early_cohorts=d["early_cohorts"],
            analysis_plan=d["analysis_plan"],
        )

    if submitted(request, form, write):
        messages.success(request, _("De oproep is als pilot vastgelegd."))
        return redirect("pilot-monitor", made["pilot"].pk)
    return render(request, "pilots/from_campaign.html", {"form": form, "has_campaigns": campaigns.exists()})


@role_required(*READERS)
def pilot_register_list(request):
    """The "what works" register of finished pilots: searchable, and as CSV or JSON for other municipalities."""
    form = SearchForm(request.GET or None)
    term = form.cleaned_data["q"] if form.is_valid() else ""
    rows = [report.register_row(p) for p in selectors.finished_pilots(term)]
    fmt = request.GET.get("formaat")
    if fmt == "json":
        response = HttpResponse(
            json.dumps({"pilots": report.empty_json(rows)}, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="trede-wat-werkt.json"'
        return response
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="trede-wat-werkt.csv"'
        columns = list(rows[0]) if rows else list(report.REGISTER_COLUMNS)
        writer = csv.writer(response)
        writer.writerow(columns)
        writer.writerows([["" if r[c] is None else r[c] for c in columns] for r in rows])
        return response
    return render(
        request, "pilots/register.html", {"form": form, "rows": rows, "query": request.GET.urlencode(), "term": term}
    )


@role_required(ANALYST)
def observational(request):
    """A comparison without a draw (IPW and matching on the baseline factors), always marked as not randomised."""
    from trede.stats.evaluation.observational import WARNING, ipw_effect, matching_effect

    today = timezone.localdate()
    form = ObservationalForm(request.GET or None, initial={"on": add_months(today, -13), "follow_up_months": 12})
    context = {"form": form}
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if add_months(d["on"], d["follow_up_months"]) > today:
            form.add_error("on", _("De looptijd na deze peildatum is nog niet voorbij: kies een eerdere datum."))
        else:
            context.update(_observational(form, d, today, ipw_effect, matching_effect))
            context["warning_en"] = WARNING
    return render(request, "pilots/observational.html", context)


def _observational(form, d, today, ipw_effect, matching_effect) -> dict:
    frame = selectors.observational_frame(
        form.criteria(), d["on"], treatment=d["treatment"], follow_up_months=d["follow_up_months"], today=today
    )
    treated = int(frame["treated"].sum()) if len(frame) else 0
    control = len(frame) - treated
    out = {"n": suppress(len(frame)), "n_treated": suppress(treated), "n_control": suppress(control)}
    if min(treated, control) < SMALL_GROUP:
        out["too_few"] = True
        return out
    covariates = [c for c in rules.COVARIATES if not (d["treatment"] == "exempt" and c == "exempt")]
    if d["treatment"] == "route_work":
        covariates = [c for c in covariates if c != "route"]
    # people with a level of a factor that the other group lacks have nobody to be compared with: left out
    left_out = []
    for column in ("ladder", "route"):
        if column not in covariates:
            continue
        counts = frame.groupby([column, "treated"]).size().unstack(fill_value=0).reindex(columns=[0, 1], fill_value=0)
        lacking = [level for level, row in counts.iterrows() if row[0] == 0 or row[1] == 0]
        for level in lacking:
            left_out.append((rules.covariate_label(f"{column}={level}"), suppress(int(counts.loc[level].sum()))))
        frame = frame[~frame[column].isin(lacking)]
    out["left_out"] = left_out
    treated = int(frame["treated"].sum())
    if min(treated, len(frame) - treated) < SMALL_GROUP:
        out["too_few"] = True
        return out
    results = []
    for method, fn, kw in (
        ("ipw", ipw_effect, {"estimand": "ATE"}),
        ("matching", matching_effect, {}),
    ):
        try:
            e = fn(frame, outcome=d["outcome"], treatment="treated", covariates=covariates, **kw)
        except ValueError as exc:
            results.append({"method": method, "error": _observational_error(str(exc))})
            continue
        results.append({"method": method, **_observational_json(e)})
    out["results"] = results
    return out


def _observational_error(message: str) -> str:
    """The reason a comparison cannot be made, in Dutch where it is a known one."""
    known = {
        "separate the groups": _("De kenmerken scheiden de twee groepen: er is geen overlap om te vergelijken."),
        "did not converge": _("Het model voor de propensity score kwam niet tot een uitkomst."),
        "collinear": _("Twee kenmerken zeggen hetzelfde (collineair)."),
        "within the caliper": _("Te weinig mensen hebben een vergelijkbaar iemand in de andere groep."),
    }
    return next((text for key, text in known.items() if key in message), message)


def _observational_json(e) -> dict:
    shown = min(e.n_treated, e.n_control) >= SMALL_GROUP
    o = e.overlap
    return {
        "estimand": e.estimand,
        "shown": shown,
        "estimate": round(100 * e.estimate, 2) if shown else None,
        "ci_low": round(100 * e.ci_low, 2) if shown else None,
        "ci_high": round(100 * e.ci_high, 2) if shown else None,
        "p": e.p_value if shown else None,
        "naive": round(100 * e.naive_difference, 2) if shown else None,
        "n": suppress(e.n),
        "n_treated": suppress(e.n_treated),
        "n_control": suppress(e.n_control),
        "dropped": suppress(e.dropped),
        "missing": suppress(e.missing),
        "balance": [
            {
                "factor": rules.covariate_label(b.factor),
                "before": round(b.smd_before, 3),
                "after": round(b.smd_after, 3),
                "balanced": b.balanced,
            }
            for b in e.balance
        ],
        "overlap": {
            "treated_range": [round(x, 3) for x in o.treated_range],
            "control_range": [round(x, 3) for x in o.control_range],
            "treated_outside": suppress(o.treated_outside),
            "control_outside": suppress(o.control_outside),
            "extreme_low": suppress(o.extreme_low),
            "extreme_high": suppress(o.extreme_high),
            "ess_treated": round(o.ess_treated, 1),
            "ess_control": round(o.ess_control, 1),
            "bins": [
                (f"{number_format(o.bins[i], 2)}–{number_format(o.bins[i + 1], 2)}", suppress(t), suppress(c))
                for i, (t, c) in enumerate(zip(o.histogram_treated, o.histogram_control, strict=True))
                if t or c
            ],
        },
    }


@dossier_view(Access.WRITE)
def crossover(request, client_id: int, assignment_id: int):
    """From the dossier: the client does not get what their arm prescribes (or does again)."""
    assignment = get_object_or_404(
        PilotAssignment.objects.select_related("pilot", "client"), pk=assignment_id, client_id=client_id
    )
    if assignment.pilot.status != Status.RANDOMISED:
        raise PermissionDenied
    form = CrossoverForm(request.POST or None, initial={"on": timezone.localdate()})

    def write(d):
        services.crossover_record(actor=request.user, assignment=assignment, **d)

    if submitted(request, form, write):
        messages.success(request, _("Vastgelegd. De pilot telt dit mee als afwijking van de loting."))
        return redirect("client-dossier", client_id)
    return render(
        request,
        "pilots/crossover.html",
        {"form": form, "client": assignment.client, "assignment": assignment, "pilot": assignment.pilot},
    )
