"""From a pilot to trede.stats.evaluation and back: the PilotPlan of a pilot, the monitoring figures (no outcomes),
the pre-registered analysis as JSON-ready results in Dutch, and the report as HTML context and PDF.

Everything a page, a PDF or an export shows passes through here, and small groups are suppressed here (core.privacy):
a count of 1 to 9 people is not shown, an effect or a mean that rests on fewer than 10 people in an arm is not
shown, a Kaplan-Meier curve stops where fewer than 10 are still at risk, and the strata table is suppressed with its
totals (suppress_table). Binary outcomes are stored in percentages and percentage points, durations in months with
the hazard ratio.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trede.core.privacy import SMALL_GROUP, suppress, suppress_table
from trede.pilots import rules, selectors
from trede.pilots.models import Arm, Pilot, Unit
from trede.stats.evaluation.design import Outcome, PilotPlan
from trede.stats.evaluation.report import analyse, monitor

ARMS = (Arm.INTERVENTION.value, Arm.CONTROL.value)


def arm_label(arm: str) -> str:
    return str(Arm(arm).label)


def outcome_of(name: str) -> Outcome:
    spec = rules.OUTCOMES[name]
    return Outcome(name=name, kind=spec.kind, column=name, event=spec.event, label=str(spec.short))


def plan_of(pilot: Pilot, *, covariates: tuple[str, ...] = rules.COVARIATES) -> PilotPlan:
    """The pilot as a trede.stats.evaluation PilotPlan (the design columns of selectors.analysis_frame)."""
    clustered = pilot.unit != Unit.CLIENT
    return PilotPlan(
        question=pilot.question,
        intervention=pilot.intervention,
        control=pilot.control,
        primary=outcome_of(pilot.primary_outcome),
        secondary=tuple(outcome_of(o) for o in pilot.secondary_outcomes),
        unit=pilot.unit,
        strata=() if clustered else tuple(pilot.strata),
        covariates=covariates,
        subgroups=tuple(pilot.subgroups),
        weights=(pilot.weight_intervention, pilot.weight_control),
        correction=pilot.correction,
        seed=int(pilot.seed or 0),
        follow_up_months=pilot.follow_up_months,
        analysis_date=pilot.analysis_date,
        bootstrap=pilot.bootstrap,
        cluster_column="cluster" if clustered else None,
        icc=pilot.icc,
        cluster_size=pilot.cluster_size,
        arm_names=ARMS,
    )


def _count(n) -> int | None:
    return suppress(int(n)) if n is not None else None


def _f(x, scale: float = 1.0, digits: int = 4):
    x = rules.finite(x)
    return None if x is None else round(x * scale, digits)


def _effect(e, scale: float) -> dict:
    """An Effect in display units (scale 100: percentage points), hidden when an arm has fewer than 10 people."""
    shown = min(e.n_intervention, e.n_control) >= SMALL_GROUP
    out = {
        "n": _count(e.n),
        "n_intervention": _count(e.n_intervention),
        "n_control": _count(e.n_control),
        "missing": _count(e.missing),
        "suppressed": not shown,
    }
    if not shown:
        return out
    out.update(
        estimate=_f(e.estimate, scale),
        ci_low=_f(e.ci_low, scale),
        ci_high=_f(e.ci_high, scale),
        se=_f(e.se, scale),
        se_kind=e.se_kind,
        p=_f(e.p_value),
        p_adjusted=_f(e.p_adjusted),
        se_conventional=_f(e.se_conventional, scale),
        ci_low_conventional=_f(e.ci_low_conventional, scale),
        ci_high_conventional=_f(e.ci_high_conventional, scale),
        mean_intervention=_f(e.mean_intervention, scale),
        mean_control=_f(e.mean_control, scale),
        clusters=e.clusters,
        significant=bool(e.significant),
    )
    return out


def _hazard(hr) -> dict | None:
    if hr is None:
        return None
    shown = min(hr.n_intervention, hr.n_control) >= SMALL_GROUP
    out = {
        "n": _count(hr.n),
        "events": _count(hr.events),
        "events_intervention": _count(hr.events_intervention),
        "events_control": _count(hr.events_control),
        "suppressed": not shown,
    }
    if shown:
        out.update(
            hr=_f(hr.hazard_ratio),
            ci_low=_f(hr.ci_low),
            ci_high=_f(hr.ci_high),
            p=_f(hr.p_value),
            robust=bool(hr.robust),
            clusters=hr.clusters,
        )
    return out


def _curve(curve) -> dict:
    """A Kaplan-Meier curve month by month, in percent still on benefit, cut where fewer than 10 are at risk."""
    rows = []
    for t, s, lo, hi, risk, _ev, _c in curve.rows():
        if risk < SMALL_GROUP:
            break
        rows.append({"month": int(t), "survival": _f(s, 100, 2), "lower": _f(lo, 100, 2), "upper": _f(hi, 100, 2),
                     "at_risk": int(risk)})  # fmt: skip
    shown = curve.n >= SMALL_GROUP
    median = rules.finite(curve.median)
    return {
        "n": _count(curve.n),
        "events": _count(curve.total_events),
        "rows": rows if shown else [],
        "median": round(median, 1) if shown and median is not None and rows and median <= rows[-1]["month"] else None,
    }


NOTE_TEXT = {  # the notes of trede.stats.evaluation.report (English) in the report's language
    "no complier effect for a duration": gettext_lazy(
        "Voor een duur berekenen we geen effect voor wie de interventie echt kreeg: de hazard ratio vergelijkt de "
        "groepen zoals ze geloot zijn."
    ),
    "subgroups are analysed for 0/1": gettext_lazy("Subgroepen analyseren we alleen voor uitkomsten met ja of nee."),
    "no complier effect:": gettext_lazy(
        "Het effect voor wie de interventie echt kreeg is niet te schatten: de groepen verschilden niet genoeg in wie "
        "de interventie kreeg."
    ),
}


def _notes(notes) -> list[str]:
    out = []
    for note in notes:
        text = next((v for k, v in NOTE_TEXT.items() if note.startswith(k)), None)
        out.append(str(text) if text else note)
    return out


def _outcome(result, *, follow_up: int) -> dict:
    spec = rules.OUTCOMES[result.outcome.name]
    out = {
        "name": spec.name,
        "label": str(spec.label),
        "kind": spec.kind,
        "primary": result.primary,
        "n": _count(result.n),
        "missing": _count(result.missing),
        "notes": _notes(result.notes),
    }
    if spec.kind == "binary":
        out["itt"] = _effect(result.itt, 100)
        out["adjusted"] = _effect(result.adjusted, 100) if result.adjusted else None
        if result.complier:
            c = result.complier
            out["complier"] = {
                "effect": _effect(c.effect, 100),
                "first_stage": _f(c.first_stage, 100, 2),
                "first_stage_f": _f(c.first_stage_f, 1, 2),
                "received_intervention": _f(c.received_intervention, 100, 1),
                "received_control": _f(c.received_control, 100, 1),
                "crossovers_intervention": _count(c.crossovers_intervention),
                "crossovers_control": _count(c.crossovers_control),
                "weak": bool(c.first_stage_f < 10),
            }
        if result.subgroups:
            sg = result.subgroups
            out["subgroups"] = [
                {
                    "factor": e.subgroup,
                    "factor_label": str(rules.FACTORS.get(e.subgroup, e.subgroup)),
                    "level": e.level,
                    "level_label": rules.factor_level_label(e.subgroup, e.level),
                    **_effect(e, 100),
                }
                for e in sg.effects
            ]
            out["heterogeneity"] = [
                {
                    "factor_label": str(rules.FACTORS.get(h.subgroup, h.subgroup)),
                    "f": _f(h.statistic, 1, 3),
                    "df": h.df,
                    "p": _f(h.p_value),
                }  # fmt: skip
                for h in sg.heterogeneity
            ]
            out["skipped"] = [
                f"{rules.FACTORS.get(f, f)}: {rules.factor_level_label(f, lv)}" for f, lv, _r in sg.skipped
            ]
            out["correction"] = sg.correction.value
    else:
        d = result.duration
        out["curves"] = {arm: _curve(d.curves[arm]) for arm in ARMS}
        out["logrank_p"] = _f(d.logrank_p)
        out["events"] = _count(d.events)
        out["hazard_ratio"] = _hazard(d.hazard_ratio)
        out["hazard_ratio_adjusted"] = _hazard(result.hazard_ratio_adjusted)
        ends = {}
        for arm in ARMS:
            rows = out["curves"][arm]["rows"]
            ends[arm] = round(100 - rows[-1]["survival"], 1) if rows and rows[-1]["month"] == follow_up else None
        out["left_by_end"] = ends
    if result.bootstrap is not None:
        b = result.bootstrap
        out["bootstrap"] = {
            "estimate": _f(b.estimate, 100),
            "ci_low": _f(b.ci_low, 100),
            "ci_high": _f(b.ci_high, 100),
            "replications": b.replications,
            "failed": b.failed,
            "backend": b.backend,
        }
    return out


def _few(k: int) -> str:
    return str(k) if k >= SMALL_GROUP or k == 0 else _("minder dan %(n)d") % {"n": SMALL_GROUP}


def monitoring_json(pilot: Pilot, m) -> dict:
    """The monitoring figures (no outcome values): enrolment, crossovers, attrition per arm, the strata and the
    balance of the baseline factors; suppressed."""
    arms = []
    for a in m.arms:
        arms.append(
            {
                "arm": a.arm,
                "label": arm_label(a.arm),
                "assigned": _count(a.assigned),
                "received": _count(a.received),
                "crossovers": _count(a.crossovers),
                "attrition": _count(a.attrition),
                "attrition_pct": round(100 * a.attrition_share, 1) if a.attrition >= SMALL_GROUP else None,
                "clusters": a.clusters,
            }
        )
    strata = []
    if m.strata:
        table = suppress_table([[s.n_intervention, s.n_control] for s in m.strata], columns=2)
        for i, s in enumerate(m.strata):
            label = ", ".join(
                f"{rules.FACTORS.get(f, f)}: {rules.factor_level_label(f, v)}"
                for f, v in zip(pilot.strata, s.stratum, strict=False)
            )
            strata.append(
                {
                    "label": label,
                    "intervention": table.cells[i][0],
                    "control": table.cells[i][1],
                    "total": table.row_totals[i],
                }  # fmt: skip
            )
        strata_total = {"intervention": table.column_totals[0], "control": table.column_totals[1], "total": table.total}
    else:
        strata_total = None
    shown = min(m.arms[0].assigned, m.arms[1].assigned) >= SMALL_GROUP
    balance = []
    for b in m.balance:
        share = "=" in b.factor or b.factor == "exempt"
        # a share is a count in disguise: hide the row when it rests on 1 to 9 people in an arm
        small = share and any(
            0 < round(mean * n) < SMALL_GROUP
            for mean, n in ((b.mean_intervention, b.n_intervention), (b.mean_control, b.n_control))
        )
        visible = shown and not small
        balance.append(
            {
                "factor": rules.covariate_label(b.factor),
                "mean_intervention": _f(b.mean_intervention, 1, 3) if visible else None,
                "mean_control": _f(b.mean_control, 1, 3) if visible else None,
                "smd": _f(b.smd, 1, 3) if visible else None,
                "imbalanced": bool(b.imbalanced) if visible else False,
                "share": share,
            }
        )
    return {
        "n": _count(m.n),
        "arms": arms,
        "strata": strata,
        "strata_total": strata_total,
        "balance": balance,
        "imbalanced": [b["factor"] for b in balance if b["imbalanced"]],
    }


def monitoring(pilot: Pilot, today: dt.date) -> dict:
    """Monitoring of a randomised pilot on `today`: reads only whether outcomes are missing."""
    frame = selectors.analysis_frame(pilot, today, outcomes=False)
    return monitoring_json(pilot, monitor(plan_of(pilot), frame))


def recorded_deviations(pilot: Pilot, today: dt.date, *, safety: bool) -> list[str]:
    out = []
    if pilot.campaign_id:
        out.append(
            _(
                "Het plan is vastgelegd nadat de oproep “%(c)s” de volgorde van de cohorten had geloot. De vroege "
                "cohorten zijn de interventiegroep, de latere de controlegroep."
            )
            % {"c": pilot.campaign.name}
        )
    for look in pilot.safety_looks.select_related("opened_by").order_by("opened_at", "id"):
        out.append(
            _("Veiligheidsmonitor geopend op %(d)s door %(who)s (gegevens tot en met %(on)s). Reden: %(r)s")
            % {
                "d": date_format(look.opened_at.date(), "j F Y"),
                "who": look.opened_by,
                "on": date_format(look.on, "j F Y"),
                "r": look.reason,
            }
        )
    if not safety and pilot.analysis_date and today > pilot.analysis_date:
        out.append(
            _("De analyse is gedaan op %(t)s, na de geplande datum %(d)s.")
            % {"t": date_format(today, "j F Y"), "d": date_format(pilot.analysis_date, "j F Y")}
        )
    return out


def found_deviations(results: dict) -> list[str]:
    out = []
    mon = results["monitoring"]
    for a in mon["arms"]:
        n = a["assigned"]
        total = str(n) if n is not None else _few(1)
        k = a["crossovers"]
        if k != 0:  # None: 1 to 9 people (suppressed)
            out.append(
                _("In de %(arm)s kregen %(k)s van de %(n)s mensen niet wat hun groep voorschreef (crossovers).")
                % {"arm": a["label"].lower(), "k": k if k is not None else _few(1), "n": total}
            )
        if a["attrition"] != 0:
            k = a["attrition"]
            pct = f" ({a['attrition_pct']}%)" if a["attrition_pct"] is not None else ""
            out.append(
                _("Van %(k)s van de %(n)s mensen in de %(arm)s is de primaire uitkomst niet bekend%(pct)s (uitval).")
                % {"arm": a["label"].lower(), "k": k if k is not None else _few(1), "n": total, "pct": pct}
            )
    if mon["imbalanced"]:
        out.append(
            _(
                "Kenmerken die bij de loting tussen de groepen verschilden (gestandaardiseerd verschil 0,1 "
                "of meer): %(f)s."
            )
            % {"f": ", ".join(mon["imbalanced"])}
        )
    for o in results["outcomes"]:
        if o.get("skipped"):
            out.append(
                _("%(o)s: te kleine subgroepen, niet geschat: %(s)s.") % {"o": o["label"], "s": "; ".join(o["skipped"])}
            )
        hidden = [s for s in o.get("subgroups", []) if s["suppressed"]]
        if hidden:
            out.append(
                _("%(o)s: subgroepen met minder dan %(n)d mensen in een groep tonen we niet: %(s)s.")
                % {
                    "o": o["label"],
                    "n": SMALL_GROUP,
                    "s": "; ".join(f"{s['factor_label']}: {s['level_label']}" for s in hidden),
                }
            )
        if o.get("complier") and o["complier"]["weak"]:
            out.append(
                _(
                    "%(o)s: de loting veranderde weinig aan wie de interventie kreeg (zwak instrument, F kleiner "
                    "dan 10)."
                )
                % {"o": o["label"]}
            )
    return out


def analysis(pilot: Pilot, today: dt.date, *, safety: bool) -> dict:
    """The pre-registered analysis on the data up to `today` (selectors.outcome_end), as JSON-ready results with
    the deviations (recorded ones first).

    Each outcome is analysed on its own (the primary one with the subgroups and the bootstrap), so that one outcome
    the data cannot carry (say, a duration without a single event yet) does not hide the others: it is listed with
    the reason. Where the adjustment for the baseline factors cannot be made (collinear factors in a small pilot),
    that outcome is analysed without it, and the report says so."""
    frame = selectors.analysis_frame(pilot, today, outcomes=True)
    plan = plan_of(pilot)
    deviations = recorded_deviations(pilot, today, safety=safety)
    try:
        monitoring_result = monitor(plan, frame)
    except ValueError as exc:
        raise ValidationError(_("De analyse kan niet met deze gegevens: %(e)s") % {"e": str(exc)}) from exc
    outcomes = []
    for i, outcome in enumerate(plan.outcomes):
        sub = replace(
            plan,
            primary=outcome,
            secondary=(),
            subgroups=plan.subgroups if i == 0 else (),
            bootstrap=plan.bootstrap if i == 0 else 0,
        )
        spec = rules.OUTCOMES[outcome.name]
        try:
            result = analyse(sub, frame, today=today, safety_monitor=safety).outcomes[0]
        except ValueError as first:
            try:
                result = analyse(replace(sub, covariates=()), frame, today=today, safety_monitor=safety).outcomes[0]
            except ValueError as exc:
                outcomes.append(
                    {
                        "name": spec.name,
                        "label": str(spec.label),
                        "kind": spec.kind,
                        "primary": i == 0,
                        "error": str(exc),
                        "notes": [],
                    }  # fmt: skip
                )
                deviations.append(
                    _("%(o)s: niet te schatten met deze gegevens (%(e)s).") % {"o": spec.label, "e": str(exc)}
                )
                continue
            deviations.append(
                _("%(o)s: de correctie voor kenmerken bij de start kon niet (%(e)s); zonder die correctie geschat.")
                % {"o": spec.label, "e": str(first)}
            )
        outcomes.append(_outcome(replace(result, primary=i == 0), follow_up=pilot.follow_up_months))
    results = {
        "on": selectors.outcome_end(pilot, today).isoformat(),
        "analysed_on": today.isoformat(),
        "safety": safety,
        "n": _count(monitoring_result.n),
        "monitoring": monitoring_json(pilot, monitoring_result),
        "outcomes": outcomes,
    }
    results["deviations"] = deviations + found_deviations(results)
    return results


# --------------------------------------------------------------------------------------------------
# Presentation: the report page, the PDF and the exports


def km_chart(outcome: dict, follow_up: int):
    """The Kaplan-Meier curves of a duration outcome (per arm, with the 95% band) for web/_chart.html."""
    from trede.web import charts

    months = list(range(follow_up + 1))
    series = []
    for arm in ARMS:
        by = {r["month"]: r for r in outcome["curves"][arm]["rows"]}
        series.append(
            (
                arm_label(arm),
                [by[m]["survival"] if m in by else None for m in months],
                [by[m]["lower"] if m in by else None for m in months],
                [by[m]["upper"] if m in by else None for m in months],
            )
        )
    return charts.line_chart(
        _("%(o)s: aandeel nog in de bijstand per maand") % {"o": outcome["label"]},
        _(
            "Per groep het percentage dat na elke maand sinds de loting nog in de bijstand zit, met het "
            "95%-interval. Een curve stopt als minder dan 10 mensen over zijn. De cijfers staan in de tabel."
        ),
        [str(m) for m in months],
        series,
        unit="%",
        top=100,
        step=True,
    )


def report_context(pilot: Pilot, results: dict) -> dict:
    outcomes = []
    for o in results["outcomes"]:
        item = dict(o)
        if o["kind"] == "duration" and not o.get("error"):
            item["chart"] = km_chart(o, pilot.follow_up_months)
            months = sorted({r["month"] for arm in ARMS for r in o["curves"][arm]["rows"]})
            item["table"] = [
                (m, [next((r for r in o["curves"][arm]["rows"] if r["month"] == m), None) for arm in ARMS])
                for m in months
            ]
        outcomes.append(item)
    return {
        "pilot": pilot,
        "results": results,
        "outcomes": outcomes,
        "arms": [(a, arm_label(a)) for a in ARMS],
        "design": design_facts(pilot),
        "threshold": SMALL_GROUP,
        "analysed_on": dt.date.fromisoformat(results["analysed_on"]),
    }


def design_facts(pilot: Pilot) -> list[tuple[str, str]]:
    """The design and the plan as (label, value) rows: the same on every page, in the PDF and in the exports."""
    from trede.pilots.forms import criteria_text

    facts = [
        (_("Vraag"), pilot.question),
        (_("Interventie"), pilot.intervention),
        (_("Controle"), pilot.control),
        (_("Wie doet mee"), criteria_text(pilot.criteria)),
        (_("Wat loten we"), str(Unit(pilot.unit).label)),
        (_("Verhouding interventie : controle"), f"{pilot.weight_intervention} : {pilot.weight_control}"),
        (
            _("Strata"),
            ", ".join(str(rules.FACTORS.get(s, s)) for s in pilot.strata) or _("geen"),
        ),
        (_("Primaire uitkomst"), str(rules.OUTCOMES[pilot.primary_outcome].label)),
        (
            _("Secundaire uitkomsten"),
            ", ".join(str(rules.OUTCOMES[o].label) for o in pilot.secondary_outcomes) or _("geen"),
        ),
        (
            _("Subgroepen"),
            ", ".join(str(rules.FACTORS.get(s, s)) for s in pilot.subgroups) or _("geen"),
        ),
        (_("Looptijd"), _("%(n)d maanden") % {"n": pilot.follow_up_months}),
        (_("Datum van de analyse"), date_format(pilot.analysis_date, "j F Y") if pilot.analysis_date else "–"),
        (_("Analyseplan"), pilot.analysis_plan or "–"),
    ]
    if pilot.registered_on:
        facts.append((_("Plan vastgelegd op"), date_format(pilot.registered_on, "j F Y")))
        facts.append((_("Vingerafdruk van het plan (SHA-256)"), pilot.plan_digest))
    if pilot.randomised_on:
        facts.append((_("Geloot op"), date_format(pilot.randomised_on, "j F Y")))
        facts.append((_("Startgetal van de loting"), str(pilot.seed)))
        facts.append((_("Vingerafdruk van de loting (SHA-256)"), pilot.assignment_digest))
    return facts


REPORT_PDF_CSS = """
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm 0; font-size: 8.5pt; }
th, td { border-bottom: 0.5pt solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
caption { text-align: left; font-weight: bold; padding: 1mm 0; }
.notice { border: 1.2pt solid #111; padding: 2mm 3mm; margin: 2mm 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0 0 1.5mm 0; }
.legend { list-style: none; padding: 0; }
.swatch { display: inline-block; width: 8mm; height: 1.5mm; }
.muted { color: #444; }
"""


def report_pdf(pilot: Pilot, results: dict) -> bytes:
    """The report as PDF (always in Dutch), with the house letter style of outreach.letters."""
    from trede.outreach.letters import pdf_from_html

    with translation.override("nl"):
        page = render_to_string("pilots/report_pdf.html", {**report_context(pilot, results), "css": REPORT_PDF_CSS})
    return pdf_from_html(page)


REGISTER_COLUMNS = (
    "id", "name", "question", "intervention", "control", "unit", "n", "n_intervention", "n_control",
    "follow_up_months", "randomised_on", "analysed_on", "primary_outcome", "primary_outcome_label", "effect_kind",
    "estimate", "ci_low", "ci_high", "p", "deviations", "seed", "plan_digest", "assignment_digest",
)  # fmt: skip


def register_row(pilot: Pilot) -> dict:
    """One finished pilot for the "what works" register and its exports (aggregates only)."""
    results = pilot.report.results
    primary = next((o for o in results["outcomes"] if o["primary"]), results["outcomes"][0])
    arms = {a["arm"]: a for a in results["monitoring"]["arms"]}
    row = {
        "id": pilot.pk,
        "name": pilot.name,
        "question": pilot.question,
        "intervention": pilot.intervention,
        "control": pilot.control,
        "unit": pilot.unit,
        "n": results["n"],
        "n_intervention": arms[Arm.INTERVENTION]["assigned"],
        "n_control": arms[Arm.CONTROL]["assigned"],
        "follow_up_months": pilot.follow_up_months,
        "randomised_on": pilot.randomised_on.isoformat() if pilot.randomised_on else None,
        "analysed_on": pilot.report.analysed_on.isoformat(),
        "primary_outcome": primary["name"],
        "primary_outcome_label": primary["label"],
        "effect_kind": "percentage_points" if primary["kind"] == "binary" else "hazard_ratio",
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
        "p": None,
        "deviations": len(results.get("deviations", [])),
        "seed": pilot.seed,
        "plan_digest": pilot.plan_digest,
        "assignment_digest": pilot.assignment_digest,
    }
    effect = primary.get("itt") if primary["kind"] == "binary" else primary.get("hazard_ratio")
    if effect and not effect["suppressed"]:
        key = "estimate" if primary["kind"] == "binary" else "hr"
        row.update(estimate=effect[key], ci_low=effect["ci_low"], ci_high=effect["ci_high"], p=effect["p"])
    return row


def empty_json(value):
    """JSON cannot hold nan: numpy floats and nans as plain numbers or None."""
    if isinstance(value, dict):
        return {k: empty_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [empty_json(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return rules.finite(value)
    return value
