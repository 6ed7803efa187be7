"""Writes of pilots, each in a transaction with its audit record; keyword-only, the actor first.

- pilot_save: a new draft, or a change of a draft (nothing changes once registered).
- pilot_register: freezes the plan (its SHA-256 fingerprint is recorded).
- pilot_randomise: the eligible clients on the day, drawn into the arms (stratified permuted blocks from a recorded
  seed, trede.stats.evaluation.randomise), once; then what the intervention arm changes is applied through the
  other apps' services (caseload.assignment_assign, obligations.exemption_grant).
- crossover_record: a client who did not get what their arm prescribes (from the dossier).
- safety_look_open: the analyst deliberately looks at outcome differences before the analysis date, with a reason;
  logged, and listed in the report as a deviation.
- pilot_analyse: the pre-registered analysis, on or after the analysis date, with its PDF.
- pilot_from_campaign: the cohort order an outreach campaign drew at random, analysed as a pilot (early cohorts
  against the later ones, until the later ones are called).
- scenario_from_pilot: an analysed pilot's measured effect as a lever's effect size in a saved simulation scenario
  (through trede.scenarios.services.scenario_save), with its source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.core.audit import audit, audit_bulk, snapshot
from trede.core.checks import refuse, require_role
from trede.core.models import User
from trede.core.roles import Role
from trede.core.rules import Access, add_months
from trede.pilots import report, rules, selectors
from trede.pilots.models import (
    PLAN_FIELDS,
    Arm,
    Correction,
    Crossover,
    Pilot,
    PilotAssignment,
    PilotReport,
    SafetyLook,
    Status,
    Unit,
)

if TYPE_CHECKING:
    from trede.scenarios.models import SavedScenario

# The legal ground an exemption of a pilot's intervention arm is granted on. A pilot that lifts obligations for a
# group drawn by lot needs a ground for experiments (art. 83 Participatiewet and its decree); "urgent reasons" (art. 9
# lid 2) is an individual ground and does not fit. The ground is offered only where the rule set valid on the day
# lists it (a decree is law: the functional administrator publishes it as a rule set version with its source).
PILOT_EXEMPTION_GROUND = "experiment"
MAX_WEIGHT = 10
MIN_REASON = 10


def exemption_action_available(on: dt.date | None = None) -> bool:
    """Whether an exemption for the intervention arm can be granted on `on` (today): the rule set valid then lists
    the experiments ground."""
    from trede.core.selectors import rules_on
    from trede.obligations.models import ExemptionGround

    if PILOT_EXEMPTION_GROUND not in ExemptionGround.values:
        return False
    return PILOT_EXEMPTION_GROUND in rules_on(on or timezone.localdate()).get("exemption_grounds", {})


def _check_analyst(actor: User | None) -> None:
    require_role(actor, (Role.POLICY_ANALYST,), _("Alleen een beleidsmedewerker maakt en beheert pilots."))


def _today(today: dt.date | None) -> dt.date:
    real = timezone.localdate()
    if today is None:
        return real
    if today > real:
        refuse(None, _("Deze datum ligt in de toekomst."))
    return today


def plan_digest(pilot: Pilot) -> str:
    """SHA-256 of the plan's fields in a fixed form: recorded at registration, so anyone can check it later."""
    plan = {}
    for name in PLAN_FIELDS:
        value = getattr(pilot, name)
        plan[name] = value.isoformat() if isinstance(value, dt.date) else value
    text = json.dumps(plan, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def plan_problems(plan: dict, *, today: dt.date | None = None) -> dict[str, list[str]]:
    """Everything wrong with a plan, per field (empty: fine). With `today` (registration) the analysis date must
    also lie after the follow-up that would start on that day."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for field, message in (
        ("name", _("Geef de pilot een korte naam.")),
        ("question", _("Schrijf de onderzoeksvraag op.")),
        ("intervention", _("Beschrijf wat de interventiegroep krijgt.")),
        ("control", _("Beschrijf wat de controlegroep krijgt.")),
    ):
        if not str(plan.get(field) or "").strip():
            add(field, message)
    unit = plan.get("unit") or Unit.CLIENT
    if unit not in Unit.values:
        add("unit", _("Kies wat we loten."))
    primary = plan.get("primary_outcome")
    secondary = list(plan.get("secondary_outcomes") or [])
    if primary not in rules.OUTCOMES:
        add("primary_outcome", _("Kies de primaire uitkomst."))
    if any(o not in rules.OUTCOMES for o in secondary):
        add("secondary_outcomes", _("Kies de secundaire uitkomsten uit de lijst."))
    if primary in secondary:
        add("secondary_outcomes", _("De primaire uitkomst staat hier ook: kies hem maar één keer."))
    months = plan.get("follow_up_months") or 0
    if not 1 <= months <= 60:
        add("follow_up_months", _("De looptijd is 1 tot en met 60 maanden."))
    for name in [primary, *secondary]:
        spec = rules.OUTCOMES.get(name)
        if spec and months and months < spec.min_months:
            add(
                "follow_up_months",
                _("Voor “%(o)s” is een looptijd van minstens %(m)d maanden nodig.")
                % {"o": spec.label, "m": spec.min_months},
            )
    for field in ("strata", "subgroups"):
        if any(f not in rules.FACTORS for f in plan.get(field) or []):
            add(field, _("Kies uit de kenmerken in de lijst."))
    if unit != Unit.CLIENT and plan.get("strata"):
        add("strata", _("Bij loting per klantmanager of per wijk loten we zonder strata."))
    for field in ("weight_intervention", "weight_control"):
        w = plan.get(field)
        if not isinstance(w, int) or not 1 <= w <= MAX_WEIGHT:
            add(field, _("Een getal van 1 tot en met %(n)d.") % {"n": MAX_WEIGHT})
    if plan.get("correction", Correction.HOLM) not in Correction.values:
        add("correction", _("Kies een correctie."))
    b = plan.get("bootstrap") or 0
    if b and not 100 <= b <= 10_000:
        add("bootstrap", _("Geen (0), of 100 tot en met 10.000 herhalingen."))
    pct = plan.get("baseline_pct")
    if pct is not None and not 0 < pct < 100:
        add("baseline_pct", _("Het percentage ligt tussen 0 en 100."))
    effect = plan.get("target_effect_pp")
    if effect is not None and (effect == 0 or abs(effect) >= 100):
        add("target_effect_pp", _("Het effect ligt tussen -100 en 100 procentpunten, en is niet 0."))
    icc = plan.get("icc") or 0.0
    if not 0 <= icc < 1:
        add("icc", _("De intraclustercorrelatie ligt van 0 tot 1."))
    if (plan.get("cluster_size") or 1.0) < 1:
        add("cluster_size", _("Een cluster heeft minstens 1 persoon."))
    analysis_date = plan.get("analysis_date")
    if today is not None and analysis_date is not None and months and analysis_date < add_months(today, months):
        add(
            "analysis_date",
            _("De analyse kan pas na de looptijd: op of na %(d)s.")
            % {"d": add_months(today, months).strftime("%d-%m-%Y")},
        )
    for field, message in rules.criteria_problems(plan.get("criteria") or {}).items():
        problems.setdefault(field, []).extend(message)
    cws = plan.get("caseworker_ids") or []
    if cws:
        from trede.caseload.models import TeamMember

        if unit != Unit.CLIENT:
            add("caseworker_ids", _("Klantmanagers toewijzen kan alleen als we cliënten apart loten."))
        found = set(
            TeamMember.objects.filter(
                user_id__in=cws, user__role=Role.CASEWORKER, user__is_active=True
            ).values_list("user_id", flat=True)
        )  # fmt: skip
        if found != set(cws):
            add("caseworker_ids", _("Kies actieve klantmanagers uit een team."))
    obligation = plan.get("exemption_obligation") or ""
    if obligation:
        from trede.obligations.models import ObligationKind

        if obligation not in ObligationKind.values:
            add("exemption_obligation", _("Kies een verplichting."))
        elif not exemption_action_available():
            add(
                "exemption_obligation",
                _(
                    "Een ontheffing als onderdeel van een pilot kan alleen als de regelset een grond voor experimenten "
                    "bevat (een besluit op grond van art. 83 Participatiewet). De functioneel beheerder legt die vast."
                ),
            )
    return problems


def pilot_save(*, actor: User, pilot: Pilot | None = None, **plan) -> Pilot:
    """A new draft pilot (pilot=None), or a change of a draft's plan. A registered plan is frozen: refused."""
    _check_analyst(actor)
    unknown = set(plan) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"pilot_save: unknown field(s) {', '.join(sorted(unknown))}")
    plan = dict(plan)  # only the fields given change
    if "criteria" in plan:
        plan["criteria"] = rules.criteria_clean(plan["criteria"] or {})
    for field in ("strata", "subgroups", "secondary_outcomes"):
        if field in plan:
            plan[field] = list(dict.fromkeys(plan[field] or []))
    if "caseworker_ids" in plan:
        plan["caseworker_ids"] = sorted({int(c) for c in plan["caseworker_ids"] or []})
    for field in ("icc", "cluster_size", "bootstrap", "exemption_obligation"):
        if field in plan and plan[field] is None:
            plan[field] = Pilot._meta.get_field(field).get_default()
    for field in ("name", "question", "intervention", "control", "analysis_plan", "intensity_intervention",
                  "intensity_control"):  # fmt: skip
        if field in plan:
            plan[field] = (plan[field] or "").strip()
    with transaction.atomic():
        before = None
        if pilot is not None:
            pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
            if pilot.status != Status.DRAFT:
                refuse(None, _("Het plan is vastgelegd en verandert niet meer."))
            before = snapshot(pilot)
            merged = {f: getattr(pilot, f) for f in PLAN_FIELDS} | plan
        else:
            pilot = Pilot(created_by=actor)
            merged = {f: getattr(pilot, f) for f in PLAN_FIELDS} | plan
        problems = plan_problems(merged)
        if problems:
            raise ValidationError(problems)
        for field, value in plan.items():
            setattr(pilot, field, value)
        pilot.full_clean()
        pilot.save()
        audit(actor=actor, action="pilot_save" if before else "pilot_create", instance=pilot, client_id=None,
              before=before)  # fmt: skip
    return pilot


def pilot_register(*, actor: User, pilot: Pilot, today: dt.date | None = None) -> Pilot:
    """Freeze the plan: from now on nothing in it changes. Needs the analysis plan and an analysis date after
    the follow-up; the plan must also hold for the statistics (trede.stats.evaluation.PilotPlan)."""
    _check_analyst(actor)
    today = _today(today)
    with transaction.atomic():
        pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
        if pilot.status != Status.DRAFT:
            refuse(None, _("Dit plan is al vastgelegd."))
        plan = {f: getattr(pilot, f) for f in PLAN_FIELDS}
        problems = plan_problems(plan, today=today)
        if not pilot.analysis_plan:
            problems.setdefault("analysis_plan", []).append(_("Schrijf op hoe en wanneer de pilot wordt geanalyseerd."))
        if pilot.analysis_date is None:
            problems.setdefault("analysis_date", []).append(_("Kies de datum van de analyse."))
        if problems:
            raise ValidationError(problems)
        try:
            report.plan_of(pilot)
        except ValueError as exc:
            refuse(None, _("Het plan klopt niet: %(e)s") % {"e": exc})
        before = snapshot(pilot, ["status", "registered_on", "plan_digest"])
        pilot.status = Status.REGISTERED
        pilot.registered_on = today
        pilot.registered_by = actor
        pilot.plan_digest = plan_digest(pilot)
        pilot.save(update_fields=["status", "registered_on", "registered_by", "plan_digest"])
        audit(actor=actor, action="pilot_register", instance=pilot, client_id=None, before=before,
              after=snapshot(pilot, ["status", "registered_on", "plan_digest"]))  # fmt: skip
    return pilot


def _stratum_label(names, values) -> str:
    return "|".join(f"{n}={v}" for n, v in zip(names, values, strict=True))


def _plain(value):
    if hasattr(value, "item"):
        return value.item()
    return value


def pilot_randomise(*, actor: User, pilot: Pilot, today: dt.date | None = None, seed: int | None = None) -> Pilot:
    """Draw the eligible clients of `today` into the arms, once. The seed (drawn here unless given) and the SHA-256
    of the allocation are recorded; the same seed and the same eligible clients give the same draw. With a cluster
    unit whole caseworkers' caseloads or districts are drawn, and every client follows their cluster. Then the
    intervention arm's actions are applied through the other apps' services, in the same transaction."""
    from trede.stats.evaluation.randomise import randomise

    _check_analyst(actor)
    today = _today(today)
    with transaction.atomic():
        pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
        if pilot.status in (Status.RANDOMISED, Status.ANALYSED):
            refuse(None, _("Deze pilot is al geloot. Loten gebeurt maar één keer."))
        if pilot.status != Status.REGISTERED:
            refuse(None, _("Leg eerst het plan vast; daarna kan de loting."))
        if today < pilot.registered_on:
            refuse(None, _("De loting kan niet vóór het vastleggen van het plan."))
        end = add_months(today, pilot.follow_up_months)
        if end > pilot.analysis_date:
            refuse(
                None,
                _("De looptijd zou na de datum van de analyse (%(d)s) eindigen. Loot uiterlijk op %(last)s.")
                % {
                    "d": pilot.analysis_date.strftime("%d-%m-%Y"),
                    "last": add_months(pilot.analysis_date, -pilot.follow_up_months).strftime("%d-%m-%Y"),
                },
            )
        frame = selectors.baseline_frame(
            selectors.eligible(pilot.criteria, today, unit=pilot.unit, exclude_pilot=pilot.pk), today
        )
        if len(frame) < 2:
            refuse(None, _("Er zijn te weinig cliënten die meedoen (%(n)d).") % {"n": len(frame)})
        seed = secrets.randbelow(2**63) if seed is None else int(seed)
        arms = report.ARMS
        if pilot.unit == Unit.CLIENT:
            keys = list(frame[list(pilot.strata)].itertuples(index=False, name=None)) if pilot.strata else None
            drawn = randomise(frame["client_id"].tolist(), keys, seed=seed, arms=arms, weights=pilot.weights)
            arm_of = {cid: drawn.arm_of(cid) for cid in frame["client_id"].tolist()}
            clusters = dict.fromkeys(arm_of, "")
        else:
            column = "caseworker_id" if pilot.unit == Unit.CASEWORKER else "district_id"
            members = {int(c): int(k) for c, k in zip(frame["client_id"], frame[column], strict=True)}
            units = sorted(set(members.values()))
            if len(units) < 2:
                refuse(None, _("Er zijn te weinig klantmanagers of wijken om te loten (minstens 2)."))
            drawn = randomise(units, None, seed=seed, arms=arms, weights=pilot.weights, unit=pilot.unit)
            arm_of = drawn.follow(members)
            clusters = {c: str(k) for c, k in members.items()}
        rows = []
        for record in frame.to_dict("records"):
            cid = int(record["client_id"])
            baseline = {c: _plain(record[c]) for c in selectors.BASELINE_COLUMNS}
            stratum = (
                _stratum_label(pilot.strata, [record[s] for s in pilot.strata]) if pilot.unit == Unit.CLIENT else ""
            )
            rows.append(
                PilotAssignment(
                    pilot=pilot,
                    client_id=cid,
                    arm=arm_of[cid],
                    cluster=clusters[cid],
                    stratum=stratum,
                    baseline=baseline,
                )  # fmt: skip
            )
        PilotAssignment.objects.bulk_create(rows, batch_size=2000)
        before = snapshot(pilot, ["status", "seed", "randomised_on", "assignment_digest"])
        pilot.status = Status.RANDOMISED
        pilot.seed = seed
        pilot.randomised_on = today
        pilot.randomised_by = actor
        pilot.assignment_digest = drawn.digest
        pilot.save(update_fields=["status", "seed", "randomised_on", "randomised_by", "assignment_digest"])
        audit(actor=actor, action="pilot_randomise", instance=pilot, client_id=None, before=before,
              after=snapshot(pilot, ["status", "seed", "randomised_on", "assignment_digest"]))  # fmt: skip
        audit_bulk(
            actor=actor, action="pilot_assign", model=PilotAssignment, count=len(rows),
            detail={"pilot": pilot.pk, "counts": drawn.counts},
        )  # fmt: skip
        intervention = sorted(c for c, a in arm_of.items() if a == Arm.INTERVENTION)
        _apply_actions(actor, pilot, intervention, today)
    return pilot


def _apply_actions(actor: User, pilot: Pilot, client_ids: list[int], today: dt.date) -> None:
    """What the intervention arm changes, through the services of caseload and obligations (never their models)."""
    from trede.caseload.models import Assignment
    from trede.caseload.services import assignment_assign
    from trede.clients.models import Client

    if not client_ids or not (pilot.caseworker_ids or pilot.exemption_obligation):
        return
    reason = _("Pilot “%(p)s”: interventiegroep") % {"p": pilot.name}
    clients = Client.objects.in_bulk(client_ids)
    if pilot.caseworker_ids:
        caseworkers = User.objects.in_bulk(pilot.caseworker_ids)
        current = dict(
            Assignment.objects.filter(client_id__in=client_ids, end_on__isnull=True).values_list(
                "client_id", "caseworker_id"
            )
        )
        for i, cid in enumerate(client_ids):
            target = caseworkers[pilot.caseworker_ids[i % len(pilot.caseworker_ids)]]
            if current.get(cid) == target.pk:
                continue
            try:
                assignment_assign(actor=actor, client=clients[cid], caseworker=target, start_on=today, reason=reason)
            except ValidationError as exc:
                refuse(
                    None,
                    _("Toedelen aan de klantmanagers van de pilot lukte niet: %(e)s") % {"e": " ".join(exc.messages)},
                )
    if pilot.exemption_obligation:
        from trede.obligations.selectors import exempt_client_ids
        from trede.obligations.services import exemption_grant

        if not exemption_action_available(today):
            refuse(
                None, _("Een ontheffing als onderdeel van een pilot kan nog niet: de regelset kent geen experiment.")
            )
        already = set(
            exempt_client_ids(obligation=pilot.exemption_obligation, on=today)
            .filter(client_id__in=client_ids)
            .values_list("client_id", flat=True)
        )
        end_on = add_months(today, pilot.follow_up_months) - dt.timedelta(days=1)
        for cid in client_ids:
            if cid in already:
                continue
            try:
                exemption_grant(
                    actor=actor, client=clients[cid], obligation=pilot.exemption_obligation,
                    ground=PILOT_EXEMPTION_GROUND, start_on=today, end_on=end_on, reason=reason,
                )  # fmt: skip
            except ValidationError as exc:
                refuse(None, _("De ontheffing van de pilot lukte niet: %(e)s") % {"e": " ".join(exc.messages)})


def crossover_record(
    *, actor: User, assignment: PilotAssignment, received: bool, on: dt.date, reason: str
) -> Crossover:
    """Record what a client actually receives (from the dossier, by whoever may write in it). The newest record
    counts; the arm itself never changes."""
    from trede.caseload.selectors import access_to_client

    if actor is None or access_to_client(actor, assignment.client_id) != Access.WRITE:
        refuse(None, _("Alleen wie in het dossier mag schrijven, legt dit vast."))
    reason = (reason or "").strip()
    if not reason:
        refuse("reason", _("Schrijf op wat er anders ging."))
    with transaction.atomic():
        assignment = PilotAssignment.objects.select_related("pilot").get(pk=assignment.pk)
        pilot = Pilot.objects.select_for_update().get(pk=assignment.pilot_id)
        if pilot.status != Status.RANDOMISED:
            refuse(None, _("Deze pilot loopt niet meer: er verandert niets meer aan."))
        if on < pilot.randomised_on:
            refuse("on", _("Deze datum ligt vóór de loting."))
        if on > timezone.localdate():
            refuse("on", _("Deze datum ligt in de toekomst."))
        crossover = Crossover.objects.create(
            assignment=assignment, received=bool(received), on=on, reason=reason, recorded_by=actor
        )
        audit(actor=actor, action="crossover_record", instance=crossover, client_id=assignment.client_id)
    return crossover


def safety_look_open(*, actor: User, pilot: Pilot, reason: str, today: dt.date | None = None) -> SafetyLook:
    """Open the outcome differences before the analysis date (the safety monitor), deliberately and with a reason.
    What was seen is kept with the look; the report lists every look as a deviation from the plan."""
    _check_analyst(actor)
    today = _today(today)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        refuse(
            "reason",
            _("Schrijf op waarom u de uitkomsten nu al wilt zien (minstens %(n)d tekens).") % {"n": MIN_REASON},
        )
    pilot = Pilot.objects.get(pk=pilot.pk)
    if pilot.status != Status.RANDOMISED:
        refuse(None, _("De veiligheidsmonitor is er alleen voor een lopende pilot."))
    if today >= pilot.analysis_date:
        refuse(None, _("De datum van de analyse is bereikt: maak de analyse."))
    results = report.analysis(pilot, today, safety=True)  # before the transaction: it takes a while
    with transaction.atomic():
        look = SafetyLook.objects.create(
            pilot=pilot, opened_by=actor, on=selectors.outcome_end(pilot, today), reason=reason,
            results=report.empty_json(results),
        )  # fmt: skip
        audit(actor=actor, action="safety_look_open", instance=look, client_id=None,
              after=snapshot(look, ["pilot_id", "opened_by_id", "on", "reason"]))  # fmt: skip
    return look


def pilot_analyse(*, actor: User, pilot: Pilot, today: dt.date | None = None) -> PilotReport:
    """The pre-registered analysis, on or after the analysis date, once: the results, the deviations and the PDF."""
    _check_analyst(actor)
    today = _today(today)
    pilot = Pilot.objects.get(pk=pilot.pk)
    if pilot.status == Status.ANALYSED:
        refuse(None, _("Deze pilot is al geanalyseerd."))
    if pilot.status != Status.RANDOMISED:
        refuse(None, _("Alleen een geloote pilot kan worden geanalyseerd."))
    if today < pilot.analysis_date:
        refuse(
            None,
            _("De analyse is gepland op %(d)s. Tot dan kan alleen de veiligheidsmonitor, met een reden.")
            % {"d": pilot.analysis_date.strftime("%d-%m-%Y")},
        )
    results = report.empty_json(report.analysis(pilot, today, safety=False))
    pdf = report.report_pdf(pilot, results)
    with transaction.atomic():
        pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
        if pilot.status != Status.RANDOMISED:
            refuse(None, _("Deze pilot is al geanalyseerd."))
        made = PilotReport.objects.create(
            pilot=pilot, analysed_on=today, analysed_by=actor, results=results, deviations=results["deviations"],
            pdf=pdf,
        )  # fmt: skip
        pilot.status = Status.ANALYSED
        pilot.save(update_fields=["status"])
        audit(actor=actor, action="pilot_analyse", instance=made, client_id=None,
              after=snapshot(made, ["pilot_id", "analysed_on", "pdf"]))  # fmt: skip
    return made


def pilot_from_campaign(
    *,
    actor: User,
    campaign,
    name: str,
    question: str,
    primary_outcome: str,
    secondary_outcomes: list[str] | tuple[str, ...] = (),
    early_cohorts: int = 1,
    analysis_plan: str = "",
    today: dt.date | None = None,
) -> Pilot:
    """A campaign that called clients in a random order (recorded seed) is a randomised experiment until the later
    cohorts are called: the first `early_cohorts` cohorts are the intervention arm, the later ones the control arm.
    The follow-up runs from the first cohort's start to the start of the first later cohort; the pilot is created
    as drawn (the campaign's seed, the allocation's SHA-256), to be monitored and analysed like any other."""
    from trede.clients.models import Client
    from trede.outreach.models import CohortOrder, Invitation
    from trede.stats.evaluation.randomise import Assignment, StratumCount

    _check_analyst(actor)
    today = _today(today)
    if campaign.order != CohortOrder.RANDOM or campaign.seed is None:
        refuse(None, _("Alleen een oproep met een geloote (willekeurige) volgorde kan als pilot worden geanalyseerd."))
    cohorts = list(campaign.cohorts.order_by("number").values_list("number", "starts_on"))
    if not 1 <= early_cohorts < len(cohorts):
        refuse("early_cohorts", _("Er moet na de vroege cohorten nog minstens één later cohort zijn."))
    start, stop = cohorts[0][1], cohorts[early_cohorts][1]
    months = (stop.year - start.year) * 12 + stop.month - start.month - (stop.day < start.day)
    if months < 1:
        refuse(
            "early_cohorts",
            _("Het eerste latere cohort begint minder dan een maand na het eerste: er is niets te vergelijken."),
        )
    rows = list(
        Invitation.objects.filter(campaign=campaign, round=1)
        .values_list("client_id", "cohort__number")
        .order_by("client_id")
    )
    plan = {
        "name": name,
        "question": question,
        "intervention": _("Vroeg opgeroepen door “%(c)s” (cohort 1 tot en met %(k)d)")
        % {"c": campaign.name, "k": early_cohorts},
        "control": _("Later opgeroepen (cohort %(k)d en verder): tot die tijd de gewone begeleiding")
        % {"k": early_cohorts + 1},
        "criteria": {},
        "unit": Unit.CLIENT,
        "strata": [],
        "subgroups": [],
        "primary_outcome": primary_outcome,
        "secondary_outcomes": list(dict.fromkeys(secondary_outcomes)),
        "follow_up_months": months,
        "analysis_plan": (analysis_plan or "").strip()
        or _("Verschil tussen vroeg en later opgeroepen cliënten, zoals in het analyseplan van trede."),
        "analysis_date": add_months(start, months),
    }
    n1 = sum(1 for _c, k in rows if k <= early_cohorts)
    n0 = len(rows) - n1
    if n1 < 2 or n0 < 2:
        refuse(None, _("Er zijn te weinig opgeroepen cliënten in een van de groepen."))
    # the allocation ratio as whole numbers (for the record and the power; the analysis does not use it)
    weights = (1, min(MAX_WEIGHT, round(n0 / n1))) if n0 >= n1 else (min(MAX_WEIGHT, round(n1 / n0)), 1)
    plan["weight_intervention"], plan["weight_control"] = weights
    problems = plan_problems(plan, today=start)
    if problems:
        raise ValidationError(problems)
    arm_of = {c: Arm.INTERVENTION.value if k <= early_cohorts else Arm.CONTROL.value for c, k in rows}
    allocation = tuple((c, (), arm_of[c]) for c, _k in rows)
    drawn = Assignment(
        seed=int(campaign.seed), unit="client", arms=report.ARMS, weights=weights, allocation=allocation,
        strata=(StratumCount((), (n1, n0)),), method="cohort order of an outreach campaign",
    )  # fmt: skip
    with transaction.atomic():
        if Pilot.objects.filter(campaign=campaign).exists():
            refuse(None, _("Van deze oproep is al een pilot gemaakt."))
        pilot = Pilot(
            created_by=actor,
            campaign=campaign,
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in plan.items()},
        )
        pilot.status = Status.RANDOMISED
        pilot.registered_on = today
        pilot.registered_by = actor
        pilot.plan_digest = plan_digest(pilot)
        pilot.randomised_on = start
        pilot.randomised_by = actor
        pilot.seed = int(campaign.seed)
        pilot.assignment_digest = drawn.digest
        pilot.full_clean()
        pilot.save()
        invited = Invitation.objects.filter(campaign=campaign, round=1).values("client_id")
        frame = selectors.baseline_frame(Client.objects.filter(pk__in=invited), start)
        assignments = [
            PilotAssignment(
                pilot=pilot,
                client_id=int(r["client_id"]),
                arm=arm_of[int(r["client_id"])],
                cluster="",
                stratum="",
                baseline={c: _plain(r[c]) for c in selectors.BASELINE_COLUMNS},
            )  # fmt: skip
            for r in frame.to_dict("records")
        ]
        PilotAssignment.objects.bulk_create(assignments, batch_size=2000)
        audit(actor=actor, action="pilot_from_campaign", instance=pilot, client_id=None)
        audit_bulk(
            actor=actor, action="pilot_assign", model=PilotAssignment, count=len(assignments),
            detail={"pilot": pilot.pk, "campaign": campaign.pk, "counts": drawn.counts},
        )  # fmt: skip
    return pilot


def _free_name(base: str, suffixes: tuple[str, ...]) -> str:
    """`base`, or base-2, base-3, ... : the first for which every name with the suffixes is still free."""
    from trede.scenarios.models import SavedScenario
    from trede.simulation import scenario as S

    taken = set(S.shipped()) | set(
        SavedScenario.objects.filter(name__startswith=base).values_list("name", flat=True)
    )  # fmt: skip
    k = 1
    while True:
        name = base if k == 1 else f"{base}-{k}"
        if not any(f"{name}{s}" in taken for s in suffixes):
            return name
        k += 1


def scenario_from_pilot(*, actor: User, pilot: Pilot, lever: str, outcome: str, bounds: bool = False) -> SavedScenario:
    """Save a scenario that extends the baseline with the effect an analysed pilot measured as the lever's
    multiplier (pilots.to_scenario converts it), the lever switched on as the shipped scenario of that approach does
    (where the baseline has it off), and the pilot as the source. With `bounds` also the scenarios with the 95%
    interval's low and high values (names ending -laag and -hoog). All saved in one transaction, or none. Returns the
    scenario with the pilot's value."""
    from trede.pilots import to_scenario as T
    from trede.scenarios.services import scenario_save

    require_role(actor, (Role.POLICY_ANALYST,), _("Alleen een beleidsmedewerker maakt een scenario uit een pilot."))
    pilot = Pilot.objects.select_related("report").get(pk=pilot.pk)
    if pilot.status != Status.ANALYSED:
        refuse(None, _("Alleen van een afgeronde pilot, met een analyse, kan een scenario worden gemaakt."))
    spec = T.LEVERS.get(lever)
    if spec is None:
        refuse("lever", _("Kies een hefboom uit de lijst."))
    if not T.fits(lever, outcome):
        refuse(
            "outcome",
            _(
                "Deze uitkomst past niet bij deze hefboom. Een effect op werk komt uit “betaald werk” of “maanden in "
                "de bijstand”, een effect op de trede uit “hogere trede”."
            ),
        )
    found = next((o for o in pilot.report.results.get("outcomes", []) if o["name"] == outcome), None)
    if found is None:
        refuse("outcome", _("Deze uitkomst is in deze pilot niet gemeten."))
    conversion = T.convert(found, follow_up_months=pilot.follow_up_months)
    if not conversion.ok:
        refuse("outcome", conversion.reason)
    conversion = T.bounded(conversion, lever)
    if bounds and (conversion.low is None or conversion.high is None):
        refuse(
            "bounds", _("Het interval is niet helemaal om te rekenen. Maak het scenario zonder onder- en bovengrens.")
        )

    c = conversion
    interval = f"{T.num(c.low)}-{T.num(c.high) if c.high is not None else '∞'}"
    source = (
        f"trede pilot {pilot.pk} '{pilot.name}' (registered {pilot.registered_on.isoformat()}, analysed "
        f"{pilot.report.analysed_on.isoformat()}): {c.measured}, 95% interval {interval}, "
        f"n = {c.n if c.n is not None else '?'}, intention to treat; converted: {c.explanation}"
    )
    switched = {
        path: (value, f"as in the shipped scenario {spec.switch_from}: {text}")
        for path, value, text in T.switches(spec)
    }
    if spec.switch_from:
        how = _("De hefboom staat aan zoals in het meegeleverde scenario “%(s)s”.") % {"s": T.switch_title(spec)}
    else:
        how = _("De hefboom staat in het basisscenario al aan; alleen het effect verandert.")
    title = _("Pilot “%(p)s”: %(l)s") % {"p": pilot.name, "l": spec.label}
    description = _("Het basisscenario met het effect dat pilot “%(p)s” mat (%(m)s). %(how)s %(acts)s") % {
        "p": pilot.name,
        "m": c.measured,
        "how": how,
        "acts": spec.acts_on,
    }
    variants = [("", c.value, "", "")]
    if bounds:
        variants += [
            ("-laag", c.low, _("ondergrens"), _("in dit scenario de ondergrens van het 95%%-interval") % {}),
            ("-hoog", c.high, _("bovengrens"), _("in dit scenario de bovengrens van het 95%%-interval") % {}),
        ]
    with transaction.atomic():
        name = _free_name(f"pilot-{pilot.pk}-{spec.slug}", tuple(v[0] for v in variants))
        saved = []
        for suffix, value, which, note in variants:
            value = round(float(value), 4)
            full_title = f"{title} ({which})" if which else title
            text = T.scenario_toml(
                name=f"{name}{suffix}",
                title=full_title[:200],
                description=description,
                values={lever: (value, f"{source}; {note}" if note else source), **switched},
            )
            saved.append(
                scenario_save(
                    actor=actor,
                    name=f"{name}{suffix}",
                    title=full_title[:200],
                    toml=text,
                    description=description,
                    based_on="baseline",
                )
            )
        audit(
            actor=actor,
            action="scenario_from_pilot",
            instance=saved[0],
            client_id=None,
            after={
                "pilot": pilot.pk,
                "lever": lever,
                "outcome": outcome,
                "value": c.value,
                "low": c.low,
                "high": c.high,
                "scenarios": [s.name for s in saved],
            },
        )
    return saved[0]
