"""Intake: the assessment of a client's factors with the estimate that was shown, the route decision that a
person took on it, and the versions of the time-to-work model (trained on the municipality's own history,
activated by a person)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    YOUTH = "youth", _("Jongerenaanpak")
    WORK = "work", _("Traject naar werk")
    PARTICIPATION = "participation", _("Activering en participatie")
    EXEMPTION_REVIEW = "exemption_review", _("Beoordeling ontheffing")


class ModelStatus(models.TextChoices):
    DRAFT = "draft", _("Niet actief")
    ACTIVE = "active", _("Actief")
    RETIRED = "retired", _("Uit gebruik")


class ModelVersion(models.Model):
    """One trained time-to-work model with what it was trained on, its accuracy and its fairness report."""

    number = models.PositiveIntegerField(_("versie"), unique=True)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(_("herkomst"), max_length=200)  # "trained on this database" or the file name
    status = models.CharField(_("status"), max_length=8, choices=ModelStatus.choices, default=ModelStatus.DRAFT)
    activated_at = models.DateTimeField(_("geactiveerd op"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(_("uit gebruik sinds"), null=True, blank=True)
    parameters = models.JSONField()  # trede.stats.TimeToWorkModel.to_dict()
    training = models.JSONField(default=dict)  # period, spells, censored share, left out, hold-out
    accuracy = models.JSONField(default=dict)  # concordance, Brier, calibration deciles (hold-out)
    fairness = models.JSONField(default=dict)  # per-group rows, tolerance (hold-out)
    prospects = models.JSONField(default=dict)  # similar-profile key -> counts from the whole history

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="intake_one_active_model"),
        ]

    def __str__(self) -> str:
        return _("model %(n)d") % {"n": self.number}


class Assessment(models.Model):
    """An intake: the answers (each with the date it is about) and, when a model was active, the estimate and
    explanation exactly as the caseworker saw them, and the advice of the rule set valid on the day."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("datum intake"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()  # {factor: {"value": v | None, "on": "YYYY-MM-DD" | None, "source": ...}}
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    estimate = models.JSONField(null=True, blank=True)  # median, bands, p_work, effects, similar
    advised_route = models.CharField(_("advies"), max_length=16, choices=Route.choices, blank=True)
    advice_reason = models.CharField(_("reden advies"), max_length=32, blank=True)  # a code: see advice_text
    advice_facts = models.JSONField(_("feiten achter het advies"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["client", "-assessed_on"])]

    @property
    def advice_text(self) -> str:
        """Why this advice, in the reader's language (stored as facts, worded when read)."""
        from trede.intake.rules import advice_text

        return advice_text(self.advice_reason, self.advice_facts) if self.advice_reason else ""


class DecisionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("Geldt")
    AWAITING = "awaiting", _("Wacht op bevestiging teamleider")
    DECLINED = "declined", _("Niet bevestigd")


class RouteDecision(models.Model):
    """The route a person chose, with the advice beside it and the reason for any deviation. A route with less
    help than advised waits for a second person (team lead) before it takes effect."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="route_decisions")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decided_on = models.DateField(_("datum besluit"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    advised_route = models.CharField(_("advies"), max_length=16, choices=Route.choices, blank=True)
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    reason = models.TextField(_("motivering"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=DecisionStatus.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_on = models.DateField(_("datum bevestiging"), null=True, blank=True)
    confirmation_note = models.TextField(_("toelichting teamleider"), blank=True)
    review_on = models.DateField(_("herbeoordeling route"), null=True, blank=True)
    obligations = models.JSONField(default=list)  # [{"kind", "opened", "exempt"}] when it took effect

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["client", "-decided_on"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("decided_by")),
                name="route_second_person_confirms",
            ),
            models.UniqueConstraint(
                fields=["client"], condition=Q(status="awaiting"), name="route_one_awaiting_per_client"
            ),
        ]
