"""Randomised pilots (issue 9): the plan, who was drawn into which arm, what did not go as assigned, the safety
looks before the analysis date, and the report.

A pilot moves draft -> registered -> randomised -> analysed. Once registered its plan is frozen: the services refuse
a change, and a database trigger (migration 0002) refuses an UPDATE of any plan column of a pilot that is no longer a
draft. An assignment is never changed after the draw: a trigger refuses every UPDATE of pilots_pilotassignment.
(Deleting rows stays possible for the synthetic municipality's --clear, which empties whole tables.)
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    CLIENT = "client", _("Cliënt (iedere cliënt apart geloot)")
    CASEWORKER = "caseworker", _("Klantmanager (de hele caseload samen)")
    DISTRICT = "district", _("Wijk (de hele wijk samen)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Concept")
    REGISTERED = "registered", _("Vastgelegd")
    RANDOMISED = "randomised", _("Geloot, loopt")
    ANALYSED = "analysed", _("Afgerond")


class Correction(models.TextChoices):
    HOLM = "holm", _("Holm (kans op één vals resultaat)")
    BH = "fdr_bh", _("Benjamini-Hochberg (aandeel valse resultaten)")


class Arm(models.TextChoices):
    INTERVENTION = "intervention", _("Interventiegroep")
    CONTROL = "control", _("Controlegroep")


# The columns of a pilot that make up its plan: frozen from registration (services and the trigger of 0002).
PLAN_FIELDS = (
    "name",
    "question",
    "intervention",
    "control",
    "criteria",
    "unit",
    "strata",
    "subgroups",
    "primary_outcome",
    "secondary_outcomes",
    "follow_up_months",
    "analysis_plan",
    "analysis_date",
    "weight_intervention",
    "weight_control",
    "correction",
    "bootstrap",
    "baseline_pct",
    "target_effect_pp",
    "icc",
    "cluster_size",
    "caseworker_ids",
    "exemption_obligation",
    "intensity_intervention",
    "intensity_control",
)


class Pilot(models.Model):
    name = models.CharField(_("korte naam"), max_length=200)
    question = models.TextField(_("onderzoeksvraag"))
    intervention = models.TextField(_("interventie: wat krijgt de interventiegroep?"))
    control = models.TextField(_("controle: wat krijgt de controlegroep?"))
    # the eligible population as a saved selection, evaluated by selectors.eligible() on the day of the draw
    criteria = models.JSONField(_("wie doet mee"), default=dict, blank=True)
    unit = models.CharField(_("wat loten we"), max_length=12, choices=Unit.choices, default=Unit.CLIENT)
    strata = models.JSONField(_("strata"), default=list, blank=True)
    subgroups = models.JSONField(_("subgroepen"), default=list, blank=True)
    primary_outcome = models.CharField(_("primaire uitkomst"), max_length=32)
    secondary_outcomes = models.JSONField(_("secundaire uitkomsten"), default=list, blank=True)
    follow_up_months = models.PositiveSmallIntegerField(_("looptijd in maanden"), default=12)
    analysis_plan = models.TextField(_("analyseplan"), blank=True)
    analysis_date = models.DateField(_("datum van de analyse"), null=True, blank=True)
    weight_intervention = models.PositiveSmallIntegerField(_("verhouding: interventie"), default=1)
    weight_control = models.PositiveSmallIntegerField(_("verhouding: controle"), default=1)
    correction = models.CharField(
        _("correctie voor meerdere subgroepen"), max_length=8, choices=Correction.choices, default=Correction.HOLM
    )
    bootstrap = models.PositiveIntegerField(_("bootstrap-herhalingen"), default=0)
    # planning assumptions for the power calculation
    baseline_pct = models.FloatField(_("verwacht percentage in de controlegroep"), null=True, blank=True)
    target_effect_pp = models.FloatField(_("gewenst effect in procentpunten"), null=True, blank=True)
    icc = models.FloatField(_("intraclustercorrelatie"), default=0.0)
    cluster_size = models.FloatField(_("gemiddelde clustergrootte"), default=1.0)
    # what the arms change (applied at the draw through the other apps' services)
    caseworker_ids = models.JSONField(_("klantmanagers voor de interventiegroep"), default=list, blank=True)
    exemption_obligation = models.CharField(_("ontheffing voor de interventiegroep"), max_length=24, blank=True)
    intensity_intervention = models.CharField(_("begeleiding in de interventiegroep"), max_length=200, blank=True)
    intensity_control = models.CharField(_("begeleiding in de controlegroep"), max_length=200, blank=True)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_on = models.DateField(_("vastgelegd op"), null=True, blank=True)
    plan_digest = models.CharField(_("vingerafdruk van het plan"), max_length=64, blank=True)
    randomised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    randomised_on = models.DateField(_("geloot op"), null=True, blank=True)
    seed = models.BigIntegerField(_("startgetal van de loting"), null=True, blank=True)
    assignment_digest = models.CharField(_("vingerafdruk van de loting"), max_length=64, blank=True)
    campaign = models.OneToOneField(
        "outreach.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilot",
        verbose_name=_("oproep waarvan de volgorde geloot is"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_intervention__gte=1, weight_control__gte=1), name="pilot_weights_positive"
            ),
            models.CheckConstraint(condition=Q(follow_up_months__gte=1), name="pilot_follow_up_positive"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]), name="pilot_status_known"),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | (Q(registered_on__isnull=False, analysis_date__isnull=False) & ~Q(plan_digest="")),
                name="pilot_registered_has_plan",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.DRAFT, Status.REGISTERED])
                | (Q(seed__isnull=False, randomised_on__isnull=False) & ~Q(assignment_digest="")),
                name="pilot_randomised_has_seed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weights(self) -> tuple[int, int]:
        return (self.weight_intervention, self.weight_control)

    @property
    def clustered(self) -> bool:
        return self.unit != Unit.CLIENT


class PilotAssignment(models.Model):
    """One client drawn into an arm. Never changed after the draw (trigger of migration 0002). `baseline` holds
    the client's baseline factors on the day of the draw (no name, no BSN)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="assignments")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="pilot_assignments")
    arm = models.CharField(_("groep"), max_length=12, choices=Arm.choices)
    cluster = models.CharField(_("cluster"), max_length=32, blank=True)  # caseworker or district id (cluster draw)
    stratum = models.CharField(_("stratum"), max_length=300, blank=True)
    baseline = models.JSONField(_("kenmerken bij de loting"), default=dict)

    class Meta:
        ordering = ["pilot", "client_id"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "client"], name="pilot_assignment_once"),
            models.CheckConstraint(condition=Q(arm__in=[a.value for a in Arm]), name="pilot_assignment_arm_known"),
        ]
        indexes = [models.Index(fields=["client", "pilot"])]


class Crossover(models.Model):
    """What a client actually received, where it differs from the arm (or corrects an earlier record): the newest
    record counts. Records are added, never changed."""

    assignment = models.ForeignKey(PilotAssignment, on_delete=models.PROTECT, related_name="crossovers")
    received = models.BooleanField(_("kreeg de interventie"))
    on = models.DateField(_("sinds"))
    reason = models.TextField(_("reden"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment", "-recorded_at", "-id"]


class SafetyLook(models.Model):
    """The analyst deliberately opened the outcome differences before the analysis date (with the reason). What
    was seen is kept; the report lists every look as a deviation from the plan."""

    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="safety_looks")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    on = models.DateField(_("gegevens tot en met"))
    reason = models.TextField(_("reden"))
    results = models.JSONField(_("uitkomsten"), default=dict)

    class Meta:
        ordering = ["-opened_at", "-id"]


class PilotReport(models.Model):
    """The pre-registered analysis at (or after) the analysis date: results as JSON (suppressed for small groups),
    the PDF, and the deviations from the plan."""

    pilot = models.OneToOneField(Pilot, on_delete=models.PROTECT, related_name="report")
    analysed_on = models.DateField(_("geanalyseerd op"))
    analysed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    results = models.JSONField(_("uitkomsten"))
    deviations = models.JSONField(_("afwijkingen van het plan"), default=list)
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
