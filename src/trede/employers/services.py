"""Writes of employer services. Each runs in one transaction with its audit record.

Who writes what: the employer adviser keeps employers, contact persons and vacancies and records matches; the
caseworker (or team lead) of the client refers the client, records placements, the exit to work and its follow-ups.
The legal limits come from the rule set valid on the date of the act (core.selectors.rules_on).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trede.clients.models import BenefitPeriod, Client
from trede.clients.services import benefit_period_end
from trede.core.audit import audit, audit_bulk, snapshot
from trede.core.checks import not_in_future, refuse, require_role
from trede.core.models import User
from trede.core.roles import Role
from trede.core.rules import add_months
from trede.core.selectors import rules_on
from trede.employers import rules
from trede.employers.models import (
    ContactPerson,
    Employer,
    Exit,
    FollowUp,
    Match,
    Placement,
    PlacementKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Vacancy,
    VacancyStatus,
    WorkProfile,
)

ADVISER_ROLES = (Role.EMPLOYER_ADVISER, Role.TEAM_LEAD, Role.ADMINISTRATOR)
CASE_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD)
MATCH_ROLES = (Role.EMPLOYER_ADVISER, Role.CASEWORKER, Role.TEAM_LEAD)


def _save(actor, instance, action: str, fields: dict, client_id=None):
    before = snapshot(instance) if instance.pk else None
    for key, value in fields.items():
        setattr(instance, key, value.strip() if isinstance(value, str) else value)
    instance.full_clean()
    instance.save()
    audit(actor=actor, action=action, instance=instance, client_id=client_id, before=before)
    return instance


# --- employers and vacancies -------------------------------------------------------------------------------------


def employer_save(*, actor: User, employer: Employer | None = None, **fields) -> Employer:
    """Create or change an employer. The fixed adviser must be an employer adviser."""
    require_role(actor, ADVISER_ROLES, _("Alleen een werkgeversadviseur legt werkgevers vast."))
    adviser = fields.get("adviser", getattr(employer, "adviser", None))
    if adviser is None or adviser.role != Role.EMPLOYER_ADVISER:
        refuse("adviser", _("Kies een werkgeversadviseur als vaste adviseur."))
    kvk = (fields.get("kvk_number") or "").strip()
    if kvk and not (kvk.isdigit() and len(kvk) == 8):
        refuse("kvk_number", _("Een KvK-nummer heeft 8 cijfers."))
    if kvk and Employer.objects.filter(kvk_number=kvk).exclude(pk=getattr(employer, "pk", None)).exists():
        refuse("kvk_number", _("Er staat al een werkgever met dit KvK-nummer in trede."))
    with transaction.atomic():
        if employer is not None and employer.pk:
            employer = Employer.objects.select_for_update().get(pk=employer.pk)
        return _save(actor, employer or Employer(), "employer_save", fields)


def contact_person_save(
    *, actor: User, employer: Employer, contact: ContactPerson | None = None, **fields
) -> ContactPerson:
    require_role(actor, ADVISER_ROLES, _("Alleen een werkgeversadviseur legt contactpersonen vast."))
    if not (
        fields.get("phone") or fields.get("email") or getattr(contact, "phone", "") or getattr(contact, "email", "")
    ):
        refuse("phone", _("Vul een telefoonnummer of e-mailadres in: zonder kan niemand de werkgever bereiken."))
    with transaction.atomic():
        return _save(actor, contact or ContactPerson(employer=employer), "contact_person_save", fields)


def _vacancy_facts(v: Vacancy) -> dict:
    return {f: getattr(v, f) for f in rules.REQUIRED if f not in ("wage", "contact")} | {
        "wage_min": v.wage_min,
        "wage_scale": v.wage_scale,
        "contact": v.contact_id,
    }


def vacancy_save(*, actor: User, employer: Employer, vacancy: Vacancy | None = None, **fields) -> Vacancy:
    """Create or change a vacancy. It may be opened (published to caseworkers and clients) only when complete: every
    missing item is named, and nothing is saved then."""
    require_role(actor, ADVISER_ROLES, _("Alleen een werkgeversadviseur legt vacatures vast."))
    contact = fields.get("contact")
    if contact is not None and contact.employer_id != employer.pk:
        refuse("contact", _("Kies een contactpersoon van deze werkgever."))
    with transaction.atomic():
        if vacancy is not None and vacancy.pk:
            vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
            if vacancy.employer_id != employer.pk:
                refuse(None, _("Deze vacature hoort bij een andere werkgever."))
        vacancy = vacancy or Vacancy(employer=employer, created_by=actor)
        before = snapshot(vacancy) if vacancy.pk else None
        for key, value in fields.items():
            setattr(vacancy, key, value.strip() if isinstance(value, str) else value)
        if vacancy.contract_type == "permanent":
            vacancy.contract_months = None
        if vacancy.wage_min is not None and vacancy.wage_max is not None and vacancy.wage_max < vacancy.wage_min:
            refuse("wage_max", _("Het loon tot ligt onder het loon vanaf."))
        if vacancy.status == VacancyStatus.OPEN:
            missing = rules.vacancy_missing(_vacancy_facts(vacancy))
            if missing:
                refuse(
                    "status",
                    _("De vacature is nog niet compleet. Nog nodig: %(items)s.")
                    % {"items": ", ".join(str(rules.REQUIRED[k]) for k in missing)},
                )
        vacancy.full_clean()
        vacancy.save()
        audit(actor=actor, action="vacancy_save", instance=vacancy, client_id=None, before=before)
    return vacancy


# --- matches and referrals -----------------------------------------------------------------------------------------


def hard_blocks(client: Client, vacancy: Vacancy, on: dt.date) -> list[str]:
    """The hard constraints a proposal may never override, by the same engine as the shortlists
    (employers.matching): an exemption from the work obligation on the date, work too heavy for the client's health,
    a driving licence required and missing, a journey beyond the limit for generally accepted work, a hard language
    requirement. Not being on the route to work does not block a referral the caseworker chooses."""
    from trede.employers import matching as m
    from trede.stats import matching as engine

    rows = list(m.candidates(on, client_ids=[client.pk], on_benefit_only=False))
    weights, travel = m.policy(on)
    pairs = engine.score_pairs(m.vacancy_arrays([vacancy]), m.client_arrays(rows), weights=weights, travel=travel)
    codes = [c for c in engine.block_codes(int(pairs.blocks[0, 0])) if c != "not_on_work_route"]
    return [_(engine.TEXTS[c]) for c in codes]


def match_record(
    *,
    actor: User,
    vacancy: Vacancy,
    client: Client,
    status: str,
    on: dt.date,
    reason: str = "",
    score: float | None = None,
    components: dict | None = None,
) -> Match:
    """Record what was done with a match: discussed, proposed or declined (with a reason). A hard constraint is never
    overridden: a client it blocks cannot be proposed, whatever the score."""
    require_role(actor, MATCH_ROLES, _("U kunt geen match vastleggen."))
    not_in_future(on, "on")
    if status == "declined" and not reason.strip():
        refuse("reason", _("Schrijf op waarom de match is afgewezen."))
    if status == "proposed" and (blocks := hard_blocks(client, vacancy, on)):
        refuse("status", " ".join(str(b) for b in blocks))
    with transaction.atomic():
        match = Match.objects.select_for_update().filter(vacancy=vacancy, client=client).first()
        fields = {"status": status, "reason": reason, "on": on, "by": actor}
        if score is not None:
            fields |= {"score": score, "components": components or {}}
        return _save(actor, match or Match(vacancy=vacancy, client=client), "match_record", fields, client.pk)


def _event(actor, referral: Referral, to: str, on: dt.date, reason: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral, from_status=referral.status or "", to_status=to, on=on, reason=reason.strip(), by=actor
    )


def referral_create(*, actor: User, vacancy: Vacancy, client: Client, on: dt.date) -> Referral:
    """Refer a client to an open vacancy. Refused when a hard constraint blocks the client."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider verwijst een cliënt naar een werkgever."))
    not_in_future(on, "on")
    if vacancy.status != VacancyStatus.OPEN:
        refuse("vacancy", _("Deze vacature is niet open."))
    if blocks := hard_blocks(client, vacancy, on):
        refuse("vacancy", " ".join(str(b) for b in blocks))
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        if Referral.objects.filter(
            vacancy=vacancy, client=client, status__in=["proposed", "sent", "interview", "trial_placement"]
        ).exists():
            refuse("vacancy", _("De cliënt is al verwezen naar deze vacature."))
        referral = Referral.objects.create(
            vacancy=vacancy, client=client, status=ReferralStatus.PROPOSED, status_on=on, created_by=actor
        )
        ReferralEvent.objects.create(referral=referral, from_status="", to_status="proposed", on=on, by=actor)
        audit(actor=actor, action="job_referral_create", instance=referral, client_id=client.pk)
    return referral


def referral_move(*, actor: User, referral: Referral, to: str, on: dt.date, reason: str = "") -> Referral:
    """The next step of a referral to an employer, with its date and (for not hired or withdrawn) the reason."""
    require_role(actor, CASE_ROLES + (Role.EMPLOYER_ADVISER,), _("U kunt deze verwijzing niet wijzigen."))
    not_in_future(on, "on")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if problem := rules.transition_problem(current=referral.status, target=to, reason=reason):
            refuse("reason" if to in rules.REASON_REQUIRED and not reason.strip() else "to", problem)
        if on < referral.status_on:
            refuse(
                "on",
                _("De datum ligt vóór de vorige stap (%(date)s).") % {"date": referral.status_on.strftime("%d-%m-%Y")},
            )
        before = snapshot(referral, ["status", "status_on"])
        _event(actor, referral, to, on, reason)
        referral.status, referral.status_on = to, on
        referral.save(update_fields=["status", "status_on"])
        audit(actor=actor, action=f"job_referral_{to}", instance=referral, client_id=referral.client_id, before=before)
    return referral


# --- placements -----------------------------------------------------------------------------------------------------


def placement_start(
    *,
    actor: User,
    client: Client,
    employer: Employer,
    kind: str,
    start_on: dt.date,
    hours_per_week: int,
    vacancy: Vacancy | None = None,
    referral: Referral | None = None,
    end_on: dt.date | None = None,
    intended_contract: str = "",
    wage_value_pct: int | None = None,
    wage_value_assessed_on: dt.date | None = None,
    wage_value_review_on: dt.date | None = None,
    promised_training: str = "",
    training_due_on: dt.date | None = None,
) -> Placement:
    """Start a placement, within the rules valid on its start date:
    - a trial placement lasts at most trial_placement_months (2) and states the contract intended afterwards;
    - a wage subsidy is computed from the assessed wage value (art. 10d: minimum wage plus holiday pay minus the wage
      value, at most 70%); without an assessment, 50% for at most wage_subsidy_flat_months (6), and the date by which
      the wage value must be assessed is set to the end of that period;
    - a climbing job names its promised training and the date by which it starts.
    A trial placement from a referral moves the referral to 'trial placement'."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider legt een plaatsing vast."))
    if referral is not None and referral.client_id != client.pk:
        refuse("referral", _("Deze verwijzing hoort bij een andere cliënt."))
    legal = rules_on(start_on)
    problems: dict[str, str] = {}
    subsidy = None
    if kind == PlacementKind.TRIAL:
        problems |= rules.trial_problems(
            start_on=start_on,
            end_on=end_on,
            extended_until=None,
            intended_contract=intended_contract,
            months=legal["trial_placement_months"],
            extension_months=legal["trial_extension_months"],
        )
    elif kind == PlacementKind.WAGE_SUBSIDY:
        if wage_value_pct is None:
            limit = add_months(start_on, legal["wage_subsidy_flat_months"])
            wage_value_review_on = min(wage_value_review_on or limit, limit)
        else:
            if wage_value_assessed_on is None:
                problems["wage_value_assessed_on"] = _("Vul in wanneer de loonwaarde is vastgesteld.")
            if wage_value_review_on is None:
                problems["wage_value_review_on"] = _("Vul in wanneer de loonwaarde opnieuw wordt vastgesteld.")
        if not problems:
            subsidy = rules.wage_subsidy_monthly(
                hours_per_week=hours_per_week,
                wage_value_pct=wage_value_pct,
                minimum_wage_hourly=Decimal(legal["minimum_wage_hourly_cents"]) / 100,
                holiday_pay_pct=legal["holiday_pay_pct"],
                cap_pct=legal["wage_subsidy_cap_pct"],
                flat_pct=legal["wage_subsidy_flat_pct"],
            )
    elif kind == PlacementKind.CLIMBING:
        if not promised_training.strip():
            problems["promised_training"] = _("Schrijf op welke opleiding de werkgever belooft.")
        if training_due_on is None:
            problems["training_due_on"] = _("Vul in wanneer de opleiding uiterlijk begint.")
    if problems:
        raise ValidationError({k: [str(v)] for k, v in problems.items()})
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        placement = Placement(
            client=client,
            employer=employer,
            vacancy=vacancy,
            referral=referral,
            kind=kind,
            start_on=start_on,
            end_on=end_on,
            hours_per_week=hours_per_week,
            intended_contract=intended_contract.strip(),
            wage_value_pct=wage_value_pct,
            wage_value_assessed_on=wage_value_assessed_on,
            wage_value_review_on=wage_value_review_on,
            subsidy_monthly=subsidy,
            promised_training=promised_training.strip(),
            training_due_on=training_due_on,
            created_by=actor,
        )
        placement.full_clean()
        placement.save()
        audit(actor=actor, action="placement_start", instance=placement, client_id=client.pk)
        if referral is not None and kind == PlacementKind.TRIAL:
            referral = Referral.objects.select_for_update().get(pk=referral.pk)
            if referral.client_id != client.pk:
                refuse("referral", _("Deze verwijzing hoort bij een andere cliënt."))
            if ReferralStatus.TRIAL_PLACEMENT in rules.TRANSITIONS[referral.status]:
                referral_move(actor=actor, referral=referral, to=ReferralStatus.TRIAL_PLACEMENT, on=start_on)
    return placement


def placement_extend(*, actor: User, placement: Placement, extended_until: dt.date) -> Placement:
    """Extend a trial placement, at most by the legal extension (trial_extension_months, 4)."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider verlengt een proefplaatsing."))
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if placement.kind != PlacementKind.TRIAL:
            refuse("extended_until", _("Alleen een proefplaatsing wordt verlengd."))
        legal = rules_on(placement.start_on)
        problems = rules.trial_problems(
            start_on=placement.start_on,
            end_on=placement.end_on,
            extended_until=extended_until,
            intended_contract=placement.intended_contract,
            months=legal["trial_placement_months"],
            extension_months=legal["trial_extension_months"],
        )
        if "extended_until" in problems:
            refuse("extended_until", problems["extended_until"])
        return _save(actor, placement, "placement_extend", {"extended_until": extended_until}, placement.client_id)


def placement_training_started(*, actor: User, placement: Placement, started_on: dt.date) -> Placement:
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider legt dit vast."))
    not_in_future(started_on, "started_on")
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if placement.kind != PlacementKind.CLIMBING:
            refuse("started_on", _("Alleen bij een klimopbaan hoort een beloofde opleiding."))
        return _save(
            actor, placement, "placement_training_started", {"training_started_on": started_on}, placement.client_id
        )


def placement_end(*, actor: User, placement: Placement, end_on: dt.date, outcome: str, reason: str = "") -> Placement:
    """End a placement with its outcome: a contract, or no contract with the reason."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider sluit een plaatsing af."))
    if outcome not in ("contract", "no_contract"):
        refuse("outcome", _("Kies de uitkomst."))
    if outcome == "no_contract" and not reason.strip():
        refuse("reason", _("Schrijf op waarom er geen contract kwam."))
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if placement.outcome:
            refuse("outcome", _("Deze plaatsing is al afgesloten."))
        if end_on < placement.start_on:
            refuse("end_on", _("De einddatum ligt vóór het begin."))
        placement = _save(
            actor,
            placement,
            "placement_end",
            {"end_on": end_on, "outcome": outcome, "outcome_reason": reason},
            placement.client_id,
        )
        if placement.referral_id:
            referral = Referral.objects.get(pk=placement.referral_id)
            target = ReferralStatus.HIRED if outcome == "contract" else ReferralStatus.NOT_HIRED
            if target in rules.TRANSITIONS[referral.status]:
                referral_move(actor=actor, referral=referral, to=target, on=end_on, reason=reason)
    return placement


# --- exit to work and follow-up ------------------------------------------------------------------------------------


def exit_register(
    *,
    actor: User,
    client: Client,
    exit_on: dt.date,
    hours_per_week: int,
    contract_type: str,
    hourly_wage: Decimal,
    employer: Employer | None = None,
    employer_name: str = "",
    contract_months: int | None = None,
    placement: Placement | None = None,
) -> Exit:
    """A client leaves benefit for work: the benefit period ends (reason: work), the job is recorded and follow-ups
    are planned at the months of the local rule set (exit_follow_up_months: 1, 6 and 12)."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider registreert uitstroom naar werk."))
    if employer is None and not employer_name.strip():
        refuse("employer", _("Kies de werkgever of schrijf de naam op."))
    if contract_type != "permanent" and not contract_months:
        refuse("contract_months", _("Vul de duur van het contract in."))
    legal = rules_on(exit_on)
    if hourly_wage < Decimal(legal["minimum_wage_hourly_cents"]) / 100:
        refuse("hourly_wage", _("Het uurloon ligt onder het wettelijk minimumloon. Controleer het bedrag."))
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        period = BenefitPeriod.objects.filter(client=client, end_on__isnull=True).first()
        if period is None:
            refuse("exit_on", _("Deze cliënt heeft geen lopende uitkering."))
        benefit_period_end(actor=actor, period=period, end_on=exit_on, exit_reason="work")
        job_exit = Exit(
            client=client,
            benefit_period=period,
            exit_on=exit_on,
            employer=employer,
            employer_name=employer_name.strip(),
            placement=placement,
            hours_per_week=hours_per_week,
            contract_type=contract_type,
            contract_months=contract_months if contract_type != "permanent" else None,
            hourly_wage=hourly_wage,
            recorded_by=actor,
        )
        job_exit.full_clean()
        job_exit.save()
        audit(actor=actor, action="exit_register", instance=job_exit, client_id=client.pk)
        planned = FollowUp.objects.bulk_create(
            FollowUp(exit=job_exit, months=m, due_on=day)
            for m, day in rules.follow_up_dates(exit_on, legal["exit_follow_up_months"])
        )
        audit_bulk(
            actor=actor, action="follow_up_plan", model=FollowUp, count=len(planned), detail={"exit": job_exit.pk}
        )
    return job_exit


def follow_up_record(
    *,
    actor: User,
    follow_up: FollowUp,
    done_on: dt.date,
    still_working: bool,
    off_benefit: bool,
    needs_job_coach: bool,
    note: str = "",
) -> FollowUp:
    require_role(actor, CASE_ROLES + (Role.EMPLOYER_ADVISER,), _("U kunt deze nazorg niet vastleggen."))
    not_in_future(done_on, "done_on")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().select_related("exit").get(pk=follow_up.pk)
        if follow_up.done_on is not None:
            refuse("done_on", _("Deze nazorg is al vastgelegd."))
        if done_on < follow_up.exit.exit_on:
            refuse("done_on", _("De datum ligt vóór de uitstroom."))
        return _save(
            actor,
            follow_up,
            "follow_up_record",
            {
                "done_on": done_on,
                "still_working": still_working,
                "off_benefit": off_benefit,
                "needs_job_coach": needs_job_coach,
                "note": note,
                "done_by": actor,
            },
            follow_up.exit.client_id,
        )


# --- the client's work profile ---------------------------------------------------------------------------------------


def work_profile_record(
    *,
    actor: User,
    client: Client,
    recorded_on: dt.date,
    experience: list[dict],
    preferences: list[str],
    hours_wanted: int | None,
    driving_licence: bool,
    note: str = "",
) -> WorkProfile:
    """Record what the client has done and wants in work (a new version; the history is kept). Occupations are
    ISCO-08 codes of the shipped table (trede.stats.occupations)."""
    from trede.stats import occupations

    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider legt het werkprofiel vast."))
    not_in_future(recorded_on, "recorded_on")
    for item in experience:
        if occupations.get(str(item.get("code", ""))) is None:
            refuse("experience", _("Onbekend beroep: %(code)s.") % {"code": item.get("code")})
        if not isinstance(item.get("years"), int) or not 0 <= item["years"] <= 60:
            refuse("experience", _("Vul de jaren ervaring in als een getal van 0 tot 60."))
    for code in preferences:
        if occupations.get(str(code)) is None:
            refuse("preferences", _("Onbekend beroep: %(code)s.") % {"code": code})
    if hours_wanted is not None and not 1 <= hours_wanted <= 60:
        refuse("hours_wanted", _("Vul een aantal uren van 1 tot 60 in."))
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        profile = WorkProfile(
            client=client,
            recorded_on=recorded_on,
            recorded_by=actor,
            experience=[{"code": str(i["code"]), "years": i["years"]} for i in experience],
            preferences=[str(c) for c in dict.fromkeys(preferences)],
            hours_wanted=hours_wanted,
            driving_licence=driving_licence,
            note=note.strip(),
        )
        profile.full_clean()
        profile.save()
        audit(actor=actor, action="work_profile_record", instance=profile, client_id=client.pk)
    return profile
