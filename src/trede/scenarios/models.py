"""Policy simulation in the web app (issue 10): scenarios a policy analyst saved (a TOML text with a source for every
parameter, checked by trede.simulation.scenario), and runs of the engine with their results kept as files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SavedScenario(models.Model):
    name = models.SlugField(_("naam"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    based_on = models.CharField(_("gebaseerd op"), max_length=60, blank=True)
    toml = models.TextField(_("scenario (TOML)"))
    digest = models.CharField(_("vingerafdruk van de waarden"), max_length=16)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("opgeslagen scenario")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Wacht")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class PopulationKind(models.TextChoices):
    SYNTHETIC = "synthetic", _("Synthetische bevolking")
    CASELOAD = "caseload", _("Eigen caseload (uit trede, zonder namen)")


class SimulationRun(models.Model):
    """One run: the scenarios (the first is the reference), the population, the Monte Carlo settings, and where the
    results are. Finished runs never change."""

    scenarios = models.JSONField(_("scenario's"))  # names, the first is the reference
    scenario_texts = models.JSONField(_("scenario's zoals gebruikt"), default=dict)  # name -> TOML as run
    population_kind = models.CharField(_("bevolking"), max_length=10, choices=PopulationKind.choices)
    population = models.PositiveIntegerField(_("aantal mensen"))
    replications = models.PositiveSmallIntegerField(_("herhalingen"))
    horizon = models.PositiveSmallIntegerField(_("horizon in maanden"))
    seed = models.PositiveIntegerField(_("startgetal"))
    # the basis first tuned to the municipality's own figures (own caseload only): what was observed and found
    own_calibration = models.BooleanField(_("basis afgestemd op eigen cijfers"), default=False)
    calibration = models.JSONField(_("afstemming op eigen cijfers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    done = models.PositiveIntegerField(_("herhalingen klaar"), default=0)
    total = models.PositiveIntegerField(_("herhalingen in totaal"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)
    folder = models.CharField(_("map met de resultaten"), max_length=500, blank=True)
    seconds = models.FloatField(_("rekentijd (s)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("simulatie")
        constraints = [
            models.CheckConstraint(condition=Q(replications__gte=1), name="run_at_least_one_replication"),
            models.CheckConstraint(condition=Q(horizon__gte=1), name="run_horizon_positive"),
        ]
