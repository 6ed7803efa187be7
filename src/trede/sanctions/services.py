"""Writes of sanctions: the due process is the only path.

case_open (the prechecks decide whether the case may go on at all) -> hearing_schedule -> hearing_record ->
assessment_record (culpability, mandatory; not culpable closes the case without a sanction) -> decision_propose (the
rule set valid on the breach date; lower only, with the reason) -> decision_approve (a second person) ->
decision_send (then it never changes) -> objection_register -> objection_decide (a new decision supersedes the old)
-> appeal_register / appeal_decide. Each step is one transaction with its audit record.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.clients.models import BenefitPeriod, Circumstances, Client
from trede.core.audit import audit, snapshot
from trede.core.checks import not_in_future, refuse, require_role
from trede.core.models import User
from trede.core.roles import Role
from trede.core.selectors import rules_on
from trede.obligations.selectors import active_obligations, is_exempt
from trede.sanctions import rules
from trede.sanctions.models import (
    Appeal,
    Assessment,
    CaseStatus,
    Decision,
    DecisionStatus,
    Hearing,
    Objection,
    SanctionCase,
)

CASE_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD)


def _lock(case: SanctionCase) -> SanctionCase:
    return SanctionCase.objects.select_for_update().get(pk=case.pk)


# --- the facts of the prechecks ---------------------------------------------------------------------------------


def earlier_breaches(client_id: int, *, before_case: int | None = None) -> list[rules.EarlierBreach]:
    """The client's earlier cases: each with the date its reduction was imposed (the first sent decision with a
    reduction that no later decision annulled), or None."""
    out = []
    cases = SanctionCase.objects.filter(client_id=client_id).exclude(pk=before_case).prefetch_related("decisions")
    for case in cases:
        sent = sorted((d for d in case.decisions.all() if d.status == DecisionStatus.SENT), key=lambda d: d.pk)
        latest = sent[-1] if sent else None
        sanctioned_on = sent[0].sent_on if latest is not None and latest.pct > 0 and latest.months > 0 else None
        out.append(rules.EarlierBreach(case.category, case.breach_on, sanctioned_on))
    return out


def precheck_facts(
    client: Client,
    category_key: str,
    breach_on: dt.date,
    *,
    appointment=None,
    letter=None,
    job_referral=None,
    activity_referral=None,
) -> dict:
    """The facts on the breach date that rules.prechecks needs, from the foundation's functions and the dossier."""
    c = rules.category(category_key)
    facts = {"obligation_in_force": True, "exempt": False}
    if c.obligation is not None:
        if c.obligation == "tegenprestatie":
            from trede.activation.rules import required
            from trede.activation.services import tegenprestatie_facts

            t = tegenprestatie_facts(client.pk, breach_on)
            facts["obligation_in_force"] = required(**t) or t["exempt"]  # exempt is reported as exempt below
        elif c.obligation == "language_requirement":
            facts["obligation_in_force"] = True  # art. 18b applies by law; exemptions are checked below
        else:
            facts["obligation_in_force"] = (
                active_obligations(breach_on).filter(client_id=client.pk, kind=c.obligation).exists()
            )
        facts["exempt"] = is_exempt(client_id=client.pk, obligation=c.obligation, on=breach_on)
    written = letter is not None
    if appointment is not None and not written:
        written = appointment.invitation_id is not None and hasattr(appointment.invitation, "letter")
    if job_referral is not None and not written:
        written = True  # the referral was sent to the client with the vacancy (employers: the CV step)
    if activity_referral is not None and not written:
        # a referral to an activity is communicated once it was proposed to the client (its events say so)
        written = activity_referral.events.filter(
            to_status__in=("proposed", "accepted", "started", "active"), on__lte=breach_on
        ).exists()
    facts["communicated_in_writing"] = written
    current = (
        Circumstances.objects.filter(client=client, recorded_on__lte=breach_on).order_by("-recorded_on", "-id").first()
    )
    facts["health_limitation"] = bool(current and current.health in ("some", "severe"))
    facts["care_duty"] = bool(current and current.care_duties)
    facts["urgent_reasons"] = client.exemptions.filter(ground="urgent_reasons", start_on__lte=breach_on).exists()
    return facts


# --- the case -----------------------------------------------------------------------------------------------------


def case_open(
    *,
    actor: User,
    client: Client,
    category: str,
    breach_on: dt.date,
    description: str,
    appointment=None,
    letter=None,
    job_referral=None,
    activity_referral=None,
) -> SanctionCase:
    """Open a case from a breach. The prechecks run first and are kept with the case: an exempt obligation, an
    obligation that did not apply, or (where the duty exists only in writing) no letter on file stop the case at
    once (status 'stopped', recorded, nothing further possible)."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider opent een maatregelzaak."))
    not_in_future(breach_on, "breach_on")
    if category not in rules.CATEGORIES:
        refuse("category", _("Kies de gedraging."))
    if not (description or "").strip():
        refuse("description", _("Schrijf op wat er is gebeurd."))
    for evidence in (appointment, letter, job_referral, activity_referral):
        if evidence is not None and evidence.client_id != client.pk:
            refuse(None, _("Het bewijs hoort bij een andere cliënt."))
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        facts = precheck_facts(
            client,
            category,
            breach_on,
            appointment=appointment,
            letter=letter,
            job_referral=job_referral,
            activity_referral=activity_referral,
        )
        check = rules.prechecks(
            category_key=category,
            breach_on=breach_on,
            earlier=earlier_breaches(client.pk),
            rules=rules_on(breach_on),
            **facts,
        )
        case = SanctionCase.objects.create(
            client=client,
            category=category,
            breach_on=breach_on,
            description=description.strip(),
            appointment=appointment,
            letter=letter,
            job_referral=job_referral,
            activity_referral=activity_referral,
            checks={
                "facts": facts,
                "may_proceed": check.may_proceed,
                "blocks": [[c.code, c.text] for c in check.blocks],
                "weigh": [[c.code, c.text] for c in check.weigh],
                "article": check.article,
            },
            breach_number=check.breach_number,
            status=CaseStatus.OPEN if check.may_proceed else CaseStatus.STOPPED,
            closed_reason="" if check.may_proceed else " ".join(c.text for c in check.blocks),
            created_by=actor,
        )
        audit(actor=actor, action="sanction_case_open", instance=case, client_id=client.pk)
    return case


def hearing_schedule(*, actor: User, case: SanctionCase, invited_on: dt.date) -> Hearing:
    """Invite the client to give their view (Awb 4:8); the answer term comes from the rule set."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider nodigt uit voor horen."))
    with transaction.atomic():
        case = _lock(case)
        if case.status != CaseStatus.OPEN:
            refuse(None, _("Deze zaak kan niet (meer) naar het horen."))
        if invited_on < case.breach_on:
            refuse("invited_on", _("De uitnodiging ligt vóór de gedraging."))
        due = rules.hearing_deadline(invited_on, rules_on(invited_on))
        hearing = Hearing.objects.create(case=case, invited_on=invited_on, respond_by=due.due)
        before = snapshot(case, ["status"])
        case.status = CaseStatus.HEARING
        case.save(update_fields=["status"])
        audit(actor=actor, action="hearing_schedule", instance=hearing, client_id=case.client_id)
        audit(actor=actor, action="sanction_case_hearing", instance=case, client_id=case.client_id, before=before)
    return hearing


def hearing_record(
    *, actor: User, case: SanctionCase, responded: bool, statement: str = "", held_on: dt.date | None = None
) -> Hearing:
    """The client's view, or that they did not respond: only once the term has passed."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider legt het horen vast."))
    today = timezone.localdate()
    with transaction.atomic():
        case = _lock(case)
        hearing = Hearing.objects.select_for_update().filter(case=case).first()
        if hearing is None:
            refuse(None, _("Nodig de cliënt eerst uit voor het horen."))
        if responded and not (statement or "").strip():
            refuse("statement", _("Schrijf op wat de cliënt zegt (de zienswijze)."))
        if not responded and today <= hearing.respond_by:
            refuse(
                "responded",
                _("De cliënt kan nog reageren tot en met %(date)s.")
                % {"date": hearing.respond_by.strftime("%d-%m-%Y")},
            )
        if held_on is not None:
            not_in_future(held_on, "held_on")
        before = snapshot(hearing)
        hearing.responded, hearing.statement, hearing.held_on = responded, (statement or "").strip(), held_on
        hearing.recorded_by = actor
        hearing.save()
        audit(actor=actor, action="hearing_record", instance=hearing, client_id=case.client_id, before=before)
    return hearing


def assessment_record(
    *, actor: User, case: SanctionCase, finding: str, reasoning: str, assessed_on: dt.date
) -> Assessment:
    """The culpability assessment with its reasoning. No assessment without a hearing record. Not culpable (art. 18
    lid 9) closes the case without a sanction, and that is recorded."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider beoordeelt de verwijtbaarheid."))
    if finding not in dict(rules.FINDING_CHOICES):
        refuse("finding", _("Kies hoe verwijtbaar de gedraging is."))
    if not (reasoning or "").strip():
        refuse("reasoning", _("Schrijf op waarom: de motivering is verplicht."))
    not_in_future(assessed_on, "assessed_on")
    with transaction.atomic():
        case = _lock(case)
        hearing = Hearing.objects.filter(case=case).first()
        if case.status != CaseStatus.HEARING or hearing is None or hearing.responded is None:
            refuse(None, _("Leg eerst het horen vast: de zienswijze of dat de cliënt niet reageerde."))
        outcome = rules.culpability_outcome(finding)
        assessment = Assessment.objects.create(
            case=case, finding=finding, reasoning=reasoning.strip(), assessed_on=assessed_on, assessed_by=actor
        )
        before = snapshot(case, ["status", "closed_reason"])
        case.status = CaseStatus.ASSESSED if outcome.sanction else CaseStatus.NO_SANCTION
        if not outcome.sanction:
            case.closed_reason = str(outcome.text)
        case.save(update_fields=["status", "closed_reason"])
        audit(actor=actor, action="assessment_record", instance=assessment, client_id=case.client_id)
        audit(actor=actor, action="sanction_case_assessed", instance=case, client_id=case.client_id, before=before)
    return assessment


# --- the decision ---------------------------------------------------------------------------------------------------


def _norm_cents(client_id: int, on: dt.date, legal) -> int:
    period = BenefitPeriod.objects.filter(client_id=client_id, start_on__lte=on).order_by("-start_on", "-id").first()
    if period is None:
        refuse(None, _("De cliënt had op deze datum geen uitkering."))
    return int(legal["benefit_norm_cents"][period.norm])


def decision_propose(
    *,
    actor: User,
    case: SanctionCase,
    start_on: dt.date,
    pct: int | None = None,
    months: int | None = None,
    lowered_reason: str = "",
    spread_over: int | None = None,
) -> Decision:
    """The decision as a draft: the proposal of the rule set valid on the breach date, or lower (art. 18 lid 10,
    or partly culpable) with the reason; a uniform reduction may be spread over up to three months (art. 18 lid 5,
    at least a third in the first). It waits for a second person."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider stelt een besluit voor."))
    with transaction.atomic():
        case = _lock(case)
        assessment = Assessment.objects.filter(case=case).first()
        if case.status != CaseStatus.ASSESSED or assessment is None:
            refuse(None, _("Een besluit kan pas na het horen en de beoordeling van de verwijtbaarheid."))
        if case.decisions.exclude(status=DecisionStatus.SENT).exists():
            refuse(None, _("Er is al een besluit in concept."))
        legal = rules_on(case.breach_on)
        proposal = rules.proposal(case.category, case.breach_number, legal)
        chosen_pct = proposal.pct if pct is None else pct
        chosen_months = proposal.months if months is None else months
        if (chosen_pct, chosen_months) != (proposal.pct, proposal.months):
            problems = rules.lowered(proposal, chosen_pct, chosen_months, lowered_reason)
            if problems:
                raise ValidationError({k: [v] for k, v in problems.items()})
        norm = _norm_cents(case.client_id, case.breach_on, legal)
        schedule: list[int] = []
        if spread_over:
            try:
                schedule = rules.spread_schedule(
                    rules.category(case.category).regime, chosen_pct, chosen_months, spread_over
                )
            except ValueError:
                refuse(
                    "spread_over",
                    _(
                        "Spreiden kan alleen bij de uniforme arbeidsverplichtingen (art. 18 lid 4), over meer maanden "
                        "dan de verlaging duurt en over ten hoogste drie maanden."
                    ),
                )
        last_month = len(schedule) or chosen_months
        decision = Decision(
            case=case,
            proposed_pct=proposal.pct,
            proposed_months=proposal.months,
            pct=chosen_pct,
            months=chosen_months,
            lowered_reason=(lowered_reason or "").strip(),
            article=proposal.article,
            source=proposal.source,
            norm_amount_cents=norm,
            reduction_cents=rules.monthly_reduction(norm, schedule[0] if schedule else chosen_pct),
            start_on=start_on,
            end_on=rules.reduction_last_day(start_on, last_month) if last_month else None,
            schedule=schedule,
            decided_by=actor,
            decided_on=timezone.localdate(),
        )
        decision.full_clean()
        decision.save()
        audit(actor=actor, action="decision_propose", instance=decision, client_id=case.client_id)
    return decision


def decision_approve(*, actor: User, decision: Decision) -> Decision:
    """A second person approves: a team lead who did not propose the decision."""
    require_role(actor, (Role.TEAM_LEAD,), _("Een teamleider keurt het besluit goed."))
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != DecisionStatus.DRAFT:
            refuse(None, _("Dit besluit is al goedgekeurd of verstuurd."))
        if decision.decided_by_id == actor.pk:
            refuse(None, _("Een tweede persoon keurt het besluit goed, niet wie het voorstelde."))
        before = snapshot(decision, ["status", "approved_by", "approved_on"])
        decision.status, decision.approved_by, decision.approved_on = (
            DecisionStatus.APPROVED,
            actor,
            timezone.localdate(),
        )
        decision.save(update_fields=["status", "approved_by", "approved_on"])
        audit(
            actor=actor, action="decision_approve", instance=decision, client_id=decision.case.client_id, before=before
        )
    return decision


def decision_send(*, actor: User, decision: Decision, sent_on: dt.date, pdf: bytes | None = None) -> Decision:
    """Send an approved decision (with its letter). From now on it never changes."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider verstuurt het besluit."))
    not_in_future(sent_on, "sent_on")
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != DecisionStatus.APPROVED:
            refuse(None, _("Alleen een goedgekeurd besluit kan worden verstuurd."))
        before = snapshot(decision, ["status", "sent_on"])
        decision.status, decision.sent_on = DecisionStatus.SENT, sent_on
        if pdf is not None:
            decision.pdf = pdf
        decision.save(update_fields=["status", "sent_on", "pdf"])
        case = _lock(decision.case)
        if case.status == CaseStatus.ASSESSED:
            case.status = CaseStatus.DECIDED
            case.save(update_fields=["status"])
        audit(actor=actor, action="decision_send", instance=decision, client_id=case.client_id, before=before)
    return decision


def decision_reconsider(*, actor: User, decision: Decision, on: dt.date, note: str) -> Decision:
    """Record the reconsideration of a sent reduction (art. 18 lid 3, within 3 months). A different outcome is a
    new decision (revision); this records that it was reconsidered and what was found."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider legt de heroverweging vast."))
    not_in_future(on, "on")
    if not (note or "").strip():
        refuse("note", _("Schrijf op wat de heroverweging opleverde."))
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != DecisionStatus.SENT or decision.reconsidered_on is not None:
            refuse(None, _("Alleen een verstuurd besluit wordt één keer heroverwogen."))
        before = snapshot(decision, ["reconsidered_on", "reconsideration_note"])
        decision.reconsidered_on, decision.reconsideration_note = on, note.strip()
        decision.save(update_fields=["reconsidered_on", "reconsideration_note"])
        audit(
            actor=actor,
            action="decision_reconsider",
            instance=decision,
            client_id=decision.case.client_id,
            before=before,
        )
    return decision


def _successor(
    old: Decision,
    *,
    actor: User,
    pct: int,
    months: int,
    end_on,
    why: str,
    reason: str,
    decided_on: dt.date,
    schedule: list[int] | None = None,
) -> Decision:
    """A new draft decision that supersedes `old` (an objection outcome or a revision): the same proposal, article,
    norm and start, a lower reduction, the reason; like every decision it waits for a second person."""
    new = Decision(
        case=old.case,
        supersedes=old,
        proposed_pct=old.proposed_pct,
        proposed_months=old.proposed_months,
        pct=pct,
        months=months,
        lowered_reason=why,
        article=old.article,
        source=old.source,
        norm_amount_cents=old.norm_amount_cents,
        reduction_cents=rules.monthly_reduction(old.norm_amount_cents, schedule[0] if schedule else pct),
        start_on=old.start_on,
        end_on=end_on,
        schedule=schedule or [],
        reason=reason,
        decided_by=actor,
        decided_on=decided_on,
    )
    new.full_clean()
    new.save()
    return new


def decision_revise(*, actor: User, decision: Decision, complies_on: dt.date, reason: str) -> Decision:
    """Revision on the client's request once they comply again (art. 18 lid 11): a new draft decision that ends the
    reduction on the day before `complies_on`. Like every decision it needs a second person and is then sent; the
    old decision is never edited."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider stelt een herziening voor."))
    not_in_future(complies_on, "complies_on")
    if not (reason or "").strip():
        refuse("reason", _("Schrijf op waaruit blijkt dat de cliënt zich weer aan de verplichting houdt."))
    with transaction.atomic():
        case = _lock(decision.case)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != DecisionStatus.SENT:
            refuse(None, _("Alleen een verstuurd besluit kan worden herzien."))
        if Decision.objects.filter(supersedes=decision).exists():
            refuse(None, _("Dit besluit is al vervangen door een nieuw besluit. Herzie het nieuwste besluit."))
        if case.decisions.exclude(status=DecisionStatus.SENT).exists():
            refuse(None, _("Er is al een besluit in concept."))
        if decision.pct == 0 or decision.end_on is None:
            refuse(None, _("Dit besluit verlaagt de uitkering niet: er valt niets te herzien."))
        if complies_on > decision.end_on:
            refuse("complies_on", _("De verlaging was toen al voorbij: er valt niets te herzien."))
        months, last = rules.revised_period(decision.start_on, decision.end_on, complies_on)
        pct = decision.pct if months else 0
        new = _successor(
            decision,
            actor=actor,
            pct=pct,
            months=months,
            end_on=last,
            schedule=decision.schedule[:months],  # a spread reduction keeps its months that began
            why=reason.strip(),
            reason=_(
                "Herziening (art. 18 lid 11 Participatiewet): de cliënt houdt zich sinds %(date)s weer aan de "
                "verplichting. %(reason)s"
            )
            % {"date": complies_on.strftime("%d-%m-%Y"), "reason": reason.strip()},
            decided_on=timezone.localdate(),
        )
        audit(actor=actor, action="decision_revise", instance=new, client_id=case.client_id)
    return new


# --- objection and appeal -----------------------------------------------------------------------------------------


def objection_register(*, actor: User, decision: Decision, received_on: dt.date) -> Objection:
    """Register an objection against a sent decision, with its terms (Awb 6:7/6:8 and 7:10). A late objection is
    registered and marked (Awb 6:11: the municipality weighs whether the lateness is excusable)."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider registreert een bezwaar."))
    not_in_future(received_on, "received_on")
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != DecisionStatus.SENT:
            refuse(None, _("Bezwaar kan alleen tegen een verstuurd besluit."))
        legal = rules_on(decision.sent_on)
        term = rules.objection_deadline(decision.sent_on, legal)
        objection = Objection.objects.create(
            decision=decision,
            received_on=received_on,
            term_ends_on=term.due,
            late=received_on > term.due,
            decide_by=rules.objection_decision_deadline(term.due, legal).due,
            registered_by=actor,
        )
        audit(actor=actor, action="objection_register", instance=objection, client_id=decision.case.client_id)
    return objection


def objection_decide(
    *,
    actor: User,
    objection: Objection,
    outcome: str,
    reasoning: str,
    decided_on: dt.date,
    pct: int | None = None,
    months: int | None = None,
) -> Objection:
    """The decision on the objection. Upheld: a new decision without a reduction; partly: a new, lower one (never
    higher than the old); rejected or withdrawn: the decision stands. The old decision is never edited."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider legt de beslissing op bezwaar vast."))
    if outcome not in ("upheld", "partly", "rejected", "withdrawn"):
        refuse("outcome", _("Kies de uitkomst."))
    if not (reasoning or "").strip():
        refuse("reasoning", _("Schrijf de motivering op."))
    not_in_future(decided_on, "decided_on")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("decision__case").get(pk=objection.pk)
        if objection.outcome:
            refuse("outcome", _("Op dit bezwaar is al beslist."))
        old = objection.decision
        new = None
        if outcome in ("upheld", "partly"):
            new_pct, new_months = (0, 0) if outcome == "upheld" else (pct, months)
            if outcome == "partly" and (
                new_pct is None
                or new_months is None
                or new_pct > old.pct
                or new_months > old.months
                or (new_pct, new_months) == (old.pct, old.months)
            ):
                refuse("pct", _("Bij deels gegrond wordt de maatregel lager dan in het besluit."))
            if Decision.objects.filter(supersedes=old).exists():
                refuse(
                    None,
                    _("Het besluit is al vervangen door een nieuw besluit (herziening). Pas dat nieuwste besluit aan."),
                )
            new = _successor(
                old,
                actor=actor,
                pct=new_pct,
                months=new_months,
                end_on=rules.reduction_last_day(old.start_on, new_months) if new_months else None,
                why=reasoning.strip(),
                reason=reasoning.strip(),
                decided_on=decided_on,
            )
            audit(actor=actor, action="decision_on_objection", instance=new, client_id=old.case.client_id)
        before = snapshot(objection, ["outcome", "decided_on"])
        objection.outcome, objection.outcome_reasoning, objection.decided_on, objection.new_decision = (
            outcome,
            reasoning.strip(),
            decided_on,
            new,
        )
        objection.save()
        audit(actor=actor, action="objection_decide", instance=objection, client_id=old.case.client_id, before=before)
    return objection


def objection_extend(*, actor: User, objection: Objection) -> Objection:
    """Extend the decision term once (Awb 7:10 lid 3)."""
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider verlengt de beslistermijn."))
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.extended or objection.outcome:
            refuse(None, _("De beslistermijn kan maar één keer worden verlengd, en alleen vóór de beslissing."))
        before = snapshot(objection, ["decide_by", "extended"])
        legal = rules_on(objection.term_ends_on)
        objection.decide_by = rules.objection_decision_deadline(objection.term_ends_on, legal, extended=True).due
        objection.extended = True
        objection.save(update_fields=["decide_by", "extended"])
        audit(
            actor=actor,
            action="objection_extend",
            instance=objection,
            client_id=objection.decision.case.client_id,
            before=before,
        )
    return objection


def appeal_register(*, actor: User, objection: Objection, lodged_on: dt.date, court: str) -> Appeal:
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider registreert een beroep."))
    not_in_future(lodged_on, "lodged_on")
    if not (court or "").strip():
        refuse("court", _("Vul de rechtbank in."))
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("decision__case").get(pk=objection.pk)
        if not objection.outcome:
            refuse(None, _("Beroep kan pas na de beslissing op het bezwaar."))
        appeal = Appeal.objects.create(
            objection=objection, lodged_on=lodged_on, court=court.strip(), registered_by=actor
        )
        audit(actor=actor, action="appeal_register", instance=appeal, client_id=objection.decision.case.client_id)
    return appeal


def appeal_decide(*, actor: User, appeal: Appeal, outcome: str, decided_on: dt.date, note: str = "") -> Appeal:
    require_role(actor, CASE_ROLES, _("Alleen de klantmanager of teamleider legt de uitspraak vast."))
    if outcome not in ("upheld", "partly", "rejected", "withdrawn"):
        refuse("outcome", _("Kies de uitspraak."))
    not_in_future(decided_on, "decided_on")
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.outcome:
            refuse("outcome", _("De uitspraak is al vastgelegd."))
        before = snapshot(appeal, ["outcome", "decided_on"])
        appeal.outcome, appeal.decided_on, appeal.note = outcome, decided_on, note.strip()
        appeal.save(update_fields=["outcome", "decided_on", "note"])
        audit(
            actor=actor,
            action="appeal_decide",
            instance=appeal,
            client_id=appeal.objection.decision.case.client_id,
            before=before,
        )
    return appeal
