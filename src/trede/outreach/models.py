"""Outreach: campaigns that call clients in by cohort, the invitations (one per client per campaign and round),
appointments with their outcome, and versioned letter templates with the letters made from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    INTRODUCTION = "introduction", _("Kennismaking / participatiegesprek")
    WORK_INTAKE = "work_intake", _("Werkgerichte intake")
    TEGENPRESTATIE = "tegenprestatie", _("Tegenprestatie")
    EXEMPTION_REVIEW = "exemption_review", _("Herbeoordeling ontheffingen")


class CohortOrder(models.TextChoices):
    DISTRICT = "district", _("Per wijk")
    OLDEST_CONTACT = "oldest_contact", _("Langst geen contact eerst")
    RANDOM = "random", _("Willekeurig (vastgelegd, bruikbaar voor evaluatie)")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PLANNED = "planned", _("Gepland")
    CLOSED = "closed", _("Afgesloten")


class Campaign(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    purpose = models.CharField(_("doel"), max_length=20, choices=Purpose.choices)
    # the selection
    districts = models.ManyToManyField("clients.District", verbose_name=_("wijken"), blank=True, related_name="+")
    age_min = models.PositiveSmallIntegerField(_("leeftijd vanaf"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("leeftijd tot en met"), null=True, blank=True)
    ladder_steps = models.JSONField(_("treden"), default=list, blank=True)  # [] = all
    benefit_months_min = models.PositiveSmallIntegerField(_("minimaal maanden in de bijstand"), null=True, blank=True)
    benefit_months_max = models.PositiveSmallIntegerField(_("maximaal maanden in de bijstand"), null=True, blank=True)
    routes = models.JSONField(_("routes"), default=list, blank=True)  # [] = all; "none" = no route decided
    no_contact_months = models.PositiveSmallIntegerField(_("geen contact in de laatste maanden"), null=True, blank=True)
    # cohorts
    cohort_size = models.PositiveIntegerField(_("grootte cohort"))
    cohorts_per_month = models.PositiveSmallIntegerField(_("cohorten per maand"), default=1)
    order = models.CharField(_("volgorde"), max_length=16, choices=CohortOrder.choices, default=CohortOrder.DISTRICT)
    seed = models.BigIntegerField(_("startgetal willekeurige volgorde"), null=True, blank=True)
    starts_on = models.DateField(_("eerste cohort vanaf"))
    status = models.CharField(_("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=models.F("age_max")),
                name="campaign_age_band",
            ),
            models.CheckConstraint(condition=Q(cohort_size__gt=0), name="campaign_cohort_size_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="cohorts")
    number = models.PositiveIntegerField(_("cohort"))
    starts_on = models.DateField(_("vanaf"))

    class Meta:
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="cohort_number_per_campaign")]


class InvitationStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    WITHDRAWN = "withdrawn", _("Teruggetrokken")
    INVITED = "invited", _("Uitgenodigd")
    ATTENDED = "attended", _("Geweest")
    NO_SHOW = "no_show", _("Niet gekomen")
    CANCELLED = "cancelled", _("Afgezegd")


class Invitation(models.Model):
    """One client called in by a campaign: at most one per client per campaign and round (a second round only
    after a no-show). `position` is the client's place in the campaign's recorded order."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="invitations")
    round = models.PositiveSmallIntegerField(_("ronde"), default=1)
    position = models.PositiveIntegerField(_("plaats in de volgorde"))
    status = models.CharField(_("status"), max_length=10, choices=InvitationStatus.choices, default="planned")
    withdrawn_reason = models.CharField(_("reden teruggetrokken"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "position", "round"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "client", "round"], name="invitation_once_per_round"),
        ]
        indexes = [models.Index(fields=["client", "campaign"]), models.Index(fields=["cohort", "status"])]


class Outcome(models.TextChoices):
    OPEN = "open", _("Nog niet geweest")
    ATTENDED = "attended", _("Geweest")
    NO_SHOW = "no_show", _("Niet gekomen")
    RESCHEDULED = "rescheduled", _("Verzet")
    CANCELLED = "cancelled", _("Afgezegd")


class Appointment(models.Model):
    """A talk in a caseworker's agenda; from an invitation, or made by hand. A caseworker is never booked twice
    at the same moment."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="appointments")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="appointments"
    )
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("begint om"))
    minutes = models.PositiveSmallIntegerField(_("duur in minuten"))
    place = models.CharField(_("plaats"), max_length=200)
    outcome = models.CharField(_("uitkomst"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_reason = models.CharField(_("reden"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["caseworker", "starts_at"],
                condition=~Q(outcome__in=["cancelled", "rescheduled"]),
                name="appointment_caseworker_once_per_moment",
            ),
        ]
        indexes = [models.Index(fields=["caseworker", "starts_at"]), models.Index(fields=["client", "-starts_at"])]


class LetterTemplate(models.Model):
    """The text of an invitation letter per purpose, versioned: a new text is a new version; a letter records
    the version it used. The body is a Django template (see outreach.letters for the fields it may use)."""

    purpose = models.CharField(_("doel"), max_length=20, choices=Purpose.choices)
    version = models.PositiveIntegerField(_("versie"))
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purpose", "-version"]
        constraints = [models.UniqueConstraint(fields=["purpose", "version"], name="letter_template_version")]


class Letter(models.Model):
    """One PDF per invitation (never two), with the template version it used."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="letter")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="letters")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="letters")
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
