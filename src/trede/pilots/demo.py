"""Pilots for the demo: a finished one (drawn 14 months ago, with a safety look, analysed) and a running one (drawn 3
months ago), made through the services by the demo's policy analyst. Call demo_pilots() from synth.demo after the
accounts exist; a second call finds them and writes nothing.

The synthetic history was generated without these pilots, so the finished one shows no real effect (as many pilots
do): the demo shows what such a report looks like."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trede.core.models import User
from trede.core.roles import Role
from trede.core.rules import add_months
from trede.pilots import services
from trede.pilots.models import Pilot

FINISHED = "Vaker contact met jongeren"
RUNNING = "Kleine caseload voor langdurig afhankelijken"
DEMO_SEEDS = (20_260_901, 20_260_902)


def demo_pilots(*, analyst: User | None = None, today: dt.date | None = None) -> list[str]:
    """Create the demo's pilots (see the module); returns what was made (empty when they exist or when there is no
    policy analyst "beleid")."""
    today = today or timezone.localdate()
    analyst = analyst or User.objects.filter(username="beleid", role=Role.POLICY_ANALYST).first()
    if analyst is None or Pilot.objects.filter(name__in=[FINISHED, RUNNING]).exists():
        return []
    made = []
    start = add_months(today, -14)
    pilot = services.pilot_save(
        actor=analyst,
        name=FINISHED,
        question="Vinden jongeren onder de 27 vaker werk als de klantmanager hen elke twee weken spreekt?",
        intervention="Elke twee weken een gesprek met de klantmanager, de eerste drie maanden",
        control="De gewone begeleiding: een gesprek als dat nodig is, minstens elk kwartaal",
        criteria={"age_max": 26},
        strata=["district"],
        subgroups=["benefit_band"],
        primary_outcome="paid_work_12m",
        secondary_outcomes=["months_on_benefit", "durable_exit"],
        follow_up_months=12,
        analysis_plan=(
            "Intention to treat: het verschil in het aandeel met betaald werk binnen 12 maanden, met een robuust "
            "95%-interval, ook gecorrigeerd voor de kenmerken bij de start. Subgroepen naar tijd in de bijstand, "
            "met correctie volgens Holm. Daarnaast de tijd tot vertrek uit de bijstand (Kaplan-Meier en Cox)."
        ),
        analysis_date=add_months(start, 13),
        baseline_pct=25.0,
        target_effect_pp=10.0,
        intensity_intervention="Elke twee weken een gesprek (de eerste drie maanden)",
        intensity_control="De gewone begeleiding",
    )
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    pilot = services.pilot_randomise(actor=analyst, pilot=pilot, today=start, seed=DEMO_SEEDS[0])
    services.safety_look_open(
        actor=analyst,
        pilot=pilot,
        reason="Klantmanagers meldden dat jongeren in de interventiegroep afspraken misten; nagaan of dat schaadt.",
        today=add_months(start, 6),
    )
    services.pilot_analyse(actor=analyst, pilot=pilot, today=today)
    made.append(FINISHED)

    start = add_months(today, -3)
    pilot = services.pilot_save(
        actor=analyst,
        name=RUNNING,
        question="Gaan mensen die al lang in de bijstand zijn vaker een trede omhoog bij een klantmanager met 50 in "
        "plaats van 350 cliënten?",
        intervention="Een klantmanager met een caseload van 50, met tijd voor huisbezoeken",
        control="De gewone caseload",
        criteria={"benefit_months_min": 36},
        strata=["route"],
        primary_outcome="ladder_step_up",
        secondary_outcomes=["durable_exit", "months_on_benefit"],
        follow_up_months=12,
        analysis_plan="Intention to treat: het verschil in het aandeel dat een trede omhoog gaat, na 12 maanden.",
        analysis_date=add_months(start, 13),
        baseline_pct=15.0,
        target_effect_pp=8.0,
        intensity_intervention="Caseload 50: elke maand een gesprek, thuis als dat helpt",
        intensity_control="De gewone begeleiding",
    )
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    services.pilot_randomise(actor=analyst, pilot=pilot, today=start, seed=DEMO_SEEDS[1])
    made.append(RUNNING)
    return made
