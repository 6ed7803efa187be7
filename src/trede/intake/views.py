"""Intake pages: start an intake, see the estimate with its explanation and the advice, decide the route; the
team lead's confirmation of a route with less help; the model page (policy analyst, functional administrator)."""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trede.caseload.selectors import clients_in_reach
from trede.clients.models import Client, Debts, Education, Health, HouseholdKind, LadderStep, LanguageLevel, Social
from trede.core.roles import Role
from trede.core.rules import Access
from trede.core.selectors import rules_on
from trede.intake import selectors
from trede.intake.forms import ConfirmForm, IntakeForm, ModelImportForm, RouteDecisionForm
from trede.intake.models import Assessment, DecisionStatus, ModelStatus, ModelVersion, Route, RouteDecision
from trede.intake.rules import ASKED, DERIVED, ROUTE_ORDER, effect_text, factor_label, less_help
from trede.intake.services import (
    assessment_record,
    model_activate,
    model_export,
    model_import,
    route_confirm,
    route_decide,
    route_decline,
)
from trede.web.forms import add_service_errors, submitted
from trede.web.permissions import dossier_view, role_required

CHOICES = {
    "education": Education,
    "dutch_level": LanguageLevel,
    "health": Health,
    "debts": Debts,
    "social": Social,
    "ladder_step": LadderStep,
}


def value_text(factor: str, value) -> str:
    if value is None:
        return _("onbekend")
    if factor in CHOICES:
        try:
            return str(CHOICES[factor](value).label)
        except ValueError:
            return str(value)
    if factor in ("worked_last_2_years", "care_duties"):
        return _("ja") if int(value) else _("nee")
    if factor == "age":
        return _("%(n)d jaar") % {"n": value}
    if factor == "work_experience_years":
        return _("%(n)d jaar") % {"n": value}
    if factor == "benefit_months":
        return _("%(n).0f maanden") % {"n": value}
    return str(value)


def group_label(attribute: str, group: str) -> str:
    if attribute == "gender":
        return {"f": _("vrouw"), "m": _("man"), "x": _("anders of onbekend")}.get(group, group)
    if attribute == "household":
        try:
            return str(HouseholdKind(group).label)
        except ValueError:
            return _("onbekend")
    return group


def factor_rows(coef: list[tuple[str, float]]) -> list[dict]:
    """The model's weights in words: a column 'education=high' multiplies the expected time by exp(weight)."""
    rows = []
    for column, weight in coef:
        factor, _sep, level = column.partition("=")
        rows.append(
            {
                "factor": factor_label(factor),
                "level": value_text(factor, level) if level else _("per eenheid"),
                "ratio": math.exp(weight),
            }
        )
    return rows


def answer_rows(assessment: Assessment) -> list[dict]:
    effects = {e["factor"]: e for e in (assessment.estimate or {}).get("effects", [])}
    rows = []
    for factor in (*DERIVED, *ASKED):
        a = assessment.answers.get(factor) or {}
        effect = effects.get(factor)
        on = a.get("on")
        rows.append(
            {
                "label": factor_label(factor),
                "value": value_text(factor, a.get("value")),
                "missing": a.get("value") is None,
                "on": dt.date.fromisoformat(on) if on else None,
                "from_dossier": a.get("source") == "dossier",
                "effect": effect_text(factor, effect["months"] if effect["months"] is not None else float("nan"))
                if effect
                else "",
                "months": effect["months"] if effect else None,
            }
        )
    return rows


@dossier_view(Access.WRITE)
def intake_start(request, client_id: int):
    client = get_object_or_404(Client.objects.select_related("district"), pk=client_id)
    today = timezone.localdate()
    derived = selectors.dossier_answers(client, today)
    if request.method == "POST":
        form = IntakeForm(request.POST)
    else:
        form = IntakeForm(initial=IntakeForm.initial_from(derived, today))
    created = {}

    def write(data):
        created["assessment"] = assessment_record(
            actor=request.user, client=client, assessed_on=data["assessed_on"], answers=form.answers()
        )

    if submitted(request, form, write):
        messages.success(request, _("De intake is vastgelegd."))
        return redirect("assessment-detail", client.pk, created["assessment"].pk)
    version = selectors.active_model_version()
    return render(
        request,
        "intake/intake_form.html",
        {
            "client": client,
            "form": form,
            "derived": [(factor_label(f), value_text(f, derived[f]["value"]), derived[f]["on"]) for f in DERIVED],
            "model_version": version,
        },
    )


@dossier_view(Access.READ)
def assessment_detail(request, client_id: int, assessment_id: int):
    """The estimate as it was shown, its explanation, the honest prospects, the advice, and the decision."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("client", "assessed_by", "model_version"),
        pk=assessment_id,
        client_id=client_id,
    )
    client = assessment.client
    today = timezone.localdate()
    can_write = request.access == Access.WRITE
    current = selectors.route_in_force(client_id)
    awaiting = RouteDecision.objects.filter(client_id=client_id, status=DecisionStatus.AWAITING).first()
    form = None
    if can_write and awaiting is None:
        form = RouteDecisionForm(
            request.POST or None, initial={"route": assessment.advised_route or None, "decided_on": today}
        )
        created = {}

        def write(data):
            created["decision"] = route_decide(actor=request.user, client=client, assessment=assessment, **data)

        if submitted(request, form, write):
            decision = created["decision"]
            if decision.status == DecisionStatus.AWAITING:
                messages.warning(
                    request,
                    _(
                        "Deze route geeft minder hulp dan geadviseerd. "
                        "Het besluit gaat in zodra een teamleider het bevestigt."
                    ),
                )
            else:
                messages.success(request, _("De route is vastgelegd."))
            return redirect("client-dossier", client.pk)
    elif request.method == "POST":
        if not can_write:
            raise PermissionDenied
        messages.error(request, _("Er wacht al een routebesluit op bevestiging door de teamleider."))
        return redirect("assessment-detail", client.pk, assessment.pk)
    estimate = assessment.estimate
    rules = rules_on(assessment.assessed_on)
    routes = [
        {
            "value": r,
            "label": Route(r).label,
            "advised": r == assessment.advised_route,
            "less_help": less_help(r, assessment.advised_route or None),
        }
        for r in ROUTE_ORDER
    ]
    context = {
        "client": client,
        "assessment": assessment,
        "rows": answer_rows(assessment),
        "missing": [
            factor_label(f) for f in (*DERIVED, *ASKED) if (assessment.answers.get(f) or {}).get("value") is None
        ],
        "estimate": estimate,
        "beyond": bool(estimate and estimate.get("followup") and estimate["median"] > estimate["followup"]),
        "p_rows": [
            {"months": h, "p": estimate["p_work"][h], "lo": estimate["p_band"][h][0], "hi": estimate["p_band"][h][1]}
            for h in ("6", "12", "24")
        ]
        if estimate
        else [],
        "prospects": selectors.prospects_summary(selectors.active_model_version(), assessment.answers),
        "threshold": rules["route_threshold_months"],
        "youth_age": rules["youth_age"],
        "form": form,
        "routes": routes,
        "current": current,
        "awaiting": awaiting,
        "can_write": can_write,
    }
    return render(request, "intake/assessment.html", context)


@role_required(Role.TEAM_LEAD)
@dossier_view(Access.WRITE)
def route_review(request, client_id: int, decision_id: int):
    """A team lead confirms or declines a route with less help than advised (the second person)."""
    decision = get_object_or_404(
        RouteDecision.objects.select_related("client", "decided_by", "assessment"), pk=decision_id, client_id=client_id
    )
    form = ConfirmForm(request.POST or None)

    def write(data):
        if data["outcome"] == "confirm":
            route_confirm(actor=request.user, decision=decision, note=data["note"])
        else:
            route_decline(actor=request.user, decision=decision, note=data["note"])

    if decision.status == DecisionStatus.AWAITING and submitted(request, form, write):
        messages.success(request, _("Uw besluit over de route is vastgelegd."))
        return redirect("route-awaiting")
    return render(
        request,
        "intake/route_review.html",
        {
            "client": decision.client,
            "decision": decision,
            "form": form if decision.status == DecisionStatus.AWAITING else None,
            "own": decision.decided_by_id == request.user.pk,
        },
    )


@role_required(Role.TEAM_LEAD)
def route_awaiting(request):
    """Route decisions in the team that wait for the team lead's confirmation."""
    decisions = list(selectors.awaiting_confirmation(clients_in_reach(request.user)))
    return render(request, "intake/route_awaiting.html", {"decisions": decisions})


@role_required(Role.POLICY_ANALYST, Role.ADMINISTRATOR)
def model_page(request):
    """Which model is in use, what it was trained on, how accurate and how fair it is — per version."""
    versions = list(ModelVersion.objects.select_related("activated_by", "created_by").defer("parameters", "prospects"))
    chosen = request.GET.get("versie")
    version = None
    if chosen and chosen.isdigit():
        version = next((v for v in versions if v.number == int(chosen)), None)
    if version is None:
        version = next((v for v in versions if v.status == ModelStatus.ACTIVE), versions[0] if versions else None)
    fairness_rows = []
    if version is not None:
        labels = {
            "gender": _("Geslacht"),
            "age_band": _("Leeftijd"),
            "household": _("Huishouden"),
        }
        flag_labels = {
            "calibration": _("kalibratie"),
            "parked_but_worked": _("onterecht activering"),
            "work_advised_no_work": _("onterecht werk"),
        }
        for row in version.fairness.get("rows", []):
            fairness_rows.append(
                {
                    **row,
                    "attribute_label": labels.get(row["attribute"], row["attribute"]),
                    "group_label": group_label(row["attribute"], row["group"]),
                    "shares": [row.get("route_shares", {}).get(r) for r in ROUTE_ORDER],
                    "flag_labels": [
                        flag_labels.get(f) or _("aandeel %(r)s") % {"r": Route(f.split(":", 1)[1]).label}
                        for f in row.get("flags", [])
                    ],
                }
            )
    coef = []
    if version is not None:
        params = ModelVersion.objects.values_list("parameters", flat=True).get(pk=version.pk)
        coef = list(zip(params.get("columns", []), params.get("coef", [])[1:], strict=False))
    return render(
        request,
        "intake/model.html",
        {
            "versions": versions,
            "version": version,
            "fairness_rows": fairness_rows,
            "coef": coef,
            "import_form": ModelImportForm() if request.user.role == Role.ADMINISTRATOR else None,
            "is_admin": request.user.role == Role.ADMINISTRATOR,
            "routes": [Route(r).label for r in ROUTE_ORDER],
            "factor_rows": factor_rows(coef),
            "tolerance_pct": round(100 * version.fairness.get("tolerance", 0)) if version else None,
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def model_activate_view(request, number: int):
    version = get_object_or_404(ModelVersion, number=number)
    try:
        model_activate(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Model %(n)d is nu in gebruik.") % {"n": version.number})
    return redirect(f"{reverse('model')}?versie={version.number}")


@role_required(Role.ADMINISTRATOR)
@require_POST
def model_import_view(request):
    form = ModelImportForm(request.POST, request.FILES)
    upload = request.FILES.get("file")
    try:
        if not form.is_valid():
            raise ValidationError({"file": _("Kies een modelbestand.")})
        version = model_import(
            actor=request.user, content=upload.read() if upload else None, name=upload.name if upload else ""
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        messages.error(request, " ".join(exc.messages))
        return redirect("model")
    messages.success(
        request, _("Het bestand is opgeslagen als model %(n)d (nog niet in gebruik).") % {"n": version.number}
    )
    return redirect(f"{reverse('model')}?versie={version.number}")


@role_required(Role.POLICY_ANALYST, Role.ADMINISTRATOR)
def model_download(request, number: int):
    version = get_object_or_404(ModelVersion, number=number)
    response = HttpResponse(model_export(version), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="trede-model-{version.number}.json"'
    return response
