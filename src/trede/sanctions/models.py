"""Sanctions with due process: a case starts from a breach and its prechecks, goes through a hearing and a
culpability assessment, and only then to a decision that a second person approves; a sent decision is never edited,
only followed by a new one (objection outcome, revision). Objections and appeals are registered with their terms."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trede.sanctions.rules import CATEGORY_CHOICES, FINDING_CHOICES


class CaseStatus(models.TextChoices):
    STOPPED = "stopped", _("Gestopt: mag niet verder")
    OPEN = "open", _("Geopend")
    HEARING = "hearing", _("Horen")
    ASSESSED = "assessed", _("Verwijtbaarheid beoordeeld")
    DECIDED = "decided", _("Besluit verstuurd")
    NO_SANCTION = "no_sanction", _("Afgesloten zonder maatregel")


class SanctionCase(models.Model):
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="sanction_cases")
    category = models.CharField(_("gedraging"), max_length=32, choices=CATEGORY_CHOICES)
    breach_on = models.DateField(_("datum van de gedraging"))
    description = models.TextField(_("wat is er gebeurd"))
    # the evidence, where it exists in trede
    appointment = models.ForeignKey(
        "outreach.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    letter = models.ForeignKey("outreach.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    job_referral = models.ForeignKey(
        "employers.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity_referral = models.ForeignKey(
        "activation.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checks = models.JSONField(_("controles bij het openen"), default=dict)
    breach_number = models.PositiveSmallIntegerField(_("keer binnen de termijn"), default=1)
    status = models.CharField(_("stand"), max_length=12, choices=CaseStatus.choices)
    closed_reason = models.CharField(_("reden van afsluiten"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-breach_on", "-id"]
        indexes = [models.Index(fields=["client", "category", "breach_on"]), models.Index(fields=["status"])]
        verbose_name = _("maatregelzaak")


class Hearing(models.Model):
    """Hearing the client (Awb 4:8) before an adverse decision: the invitation, the term, and their view."""

    case = models.OneToOneField(SanctionCase, on_delete=models.CASCADE, related_name="hearing")
    invited_on = models.DateField(_("uitnodiging verstuurd op"))
    respond_by = models.DateField(_("reageren uiterlijk op"))
    held_on = models.DateField(_("gehoord op"), null=True, blank=True)
    responded = models.BooleanField(_("heeft gereageerd"), null=True, blank=True)
    statement = models.TextField(_("zienswijze van de cliënt"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class Assessment(models.Model):
    """The culpability assessment (art. 18 lid 9): mandatory, with the reasoning."""

    case = models.OneToOneField(SanctionCase, on_delete=models.CASCADE, related_name="assessment")
    finding = models.CharField(_("verwijtbaarheid"), max_length=8, choices=FINDING_CHOICES)
    reasoning = models.TextField(_("motivering"))
    assessed_on = models.DateField(_("beoordeeld op"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Concept: wacht op een tweede persoon")
    APPROVED = "approved", _("Goedgekeurd")
    SENT = "sent", _("Verstuurd")


class Decision(models.Model):
    """A decision on a case: the proposal of the rule set valid on the breach date, what was decided (lower only, for
    urgent reasons, with the reason), the reduction in euros per month and the period; approved by a second person.
    Once sent it never changes: an objection outcome or a revision is a new decision that supersedes it."""

    case = models.ForeignKey(SanctionCase, on_delete=models.PROTECT, related_name="decisions")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    proposed_pct = models.PositiveSmallIntegerField(_("voorgesteld percentage"))
    proposed_months = models.PositiveSmallIntegerField(_("voorgestelde duur (maanden)"))
    pct = models.PositiveSmallIntegerField(_("percentage"))
    months = models.PositiveSmallIntegerField(_("duur (maanden)"))
    lowered_reason = models.TextField(_("reden voor een lagere maatregel"), blank=True)
    article = models.CharField(_("wetsartikel"), max_length=200)
    source = models.CharField(_("bron"), max_length=500)
    norm_amount_cents = models.PositiveIntegerField(_("bijstandsnorm per maand (cent)"))
    reduction_cents = models.PositiveIntegerField(_("verlaging per maand (cent)"))
    start_on = models.DateField(_("verlaging vanaf"))
    end_on = models.DateField(_("verlaging tot en met"), null=True, blank=True)
    # spread over more months (art. 18 lid 5): the percentage of each month; empty when not spread
    schedule = models.JSONField(_("verlaging per maand (gespreid)"), default=list, blank=True)
    reason = models.TextField(_("overwegingen"), blank=True)  # for a new decision: why (objection outcome, revision)
    status = models.CharField(_("status"), max_length=8, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("besloten op"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("goedgekeurd op"), null=True, blank=True)
    sent_on = models.DateField(_("verstuurd op"), null=True, blank=True)
    pdf = models.BinaryField(_("besluitbrief (PDF)"), null=True, blank=True)
    reconsidered_on = models.DateField(_("heroverwogen op"), null=True, blank=True)  # art. 18 lid 3
    reconsideration_note = models.TextField(_("uitkomst heroverweging"), blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pct__lte=models.F("proposed_pct")), name="decision_never_above_proposal"
            ),
            models.CheckConstraint(
                condition=Q(months__lte=models.F("proposed_months")) | Q(supersedes__isnull=False),
                name="decision_months_never_above_proposal",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("decided_by")),
                name="decision_second_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(approved_by__isnull=False, sent_on__isnull=False),
                name="decision_sent_only_approved",
            ),
        ]


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("Gegrond: de maatregel vervalt")
    PARTLY = "partly", _("Deels gegrond: de maatregel wordt lager")
    REJECTED = "rejected", _("Ongegrond: de maatregel blijft")
    WITHDRAWN = "withdrawn", _("Ingetrokken door de cliënt")


class Objection(models.Model):
    """An objection (bezwaar, Awb 6:4) against a sent decision, with its terms and outcome."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField(_("ontvangen op"))
    term_ends_on = models.DateField(_("bezwaartermijn eindigt op"))
    late = models.BooleanField(_("te laat ingediend"), default=False)
    decide_by = models.DateField(_("beslissen uiterlijk op"))
    extended = models.BooleanField(_("beslistermijn verlengd"), default=False)
    heard_on = models.DateField(_("gehoord op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    outcome_reasoning = models.TextField(_("motivering van de uitkomst"), blank=True)
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    new_decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="from_objection"
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-id"]


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Gegrond")
    PARTLY = "partly", _("Deels gegrond")
    REJECTED = "rejected", _("Ongegrond")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class Appeal(models.Model):
    """An appeal (beroep) to the court against the decision on an objection."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="appeals")
    lodged_on = models.DateField(_("ingesteld op"))
    court = models.CharField(_("rechtbank"), max_length=200)
    outcome = models.CharField(_("uitspraak"), max_length=10, choices=AppealOutcome.choices, blank=True)
    decided_on = models.DateField(_("uitspraak op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
