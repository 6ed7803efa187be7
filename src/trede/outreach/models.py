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
