import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ObligationKind(models.TextChoices):
    WORK = "work_obligation", _("Arbeidsverplichting (art. 9 lid 1a)")
    COOPERATION = "cooperation", _("Meewerken aan voorzieningen en plan van aanpak (art. 9 lid 1b)")
    TEGENPRESTATIE = "tegenprestatie", _("Tegenprestatie (art. 9 lid 1c)")
    LANGUAGE = "language_requirement", _("Taaleis (art. 18b)")


SHORT_LABELS = {
    ObligationKind.WORK: _("Arbeidsplicht"),
    ObligationKind.COOPERATION: _("Meewerken"),
    ObligationKind.TEGENPRESTATIE: _("Tegenprestatie"),
    ObligationKind.LANGUAGE: _("Taaleis"),
}


class ExemptionGround(models.TextChoices):
    URGENT_REASONS = "urgent_reasons", _("Dringende redenen (art. 9 lid 2)")
    SINGLE_PARENT_NO_CHILDCARE = (
        "single_parent_no_childcare",
        _("Alleenstaande ouder, kind onder 12, geen kinderopvang (art. 9 lid 4)"),
    )
    FULLY_DISABLED = "fully_disabled", _("Volledig en duurzaam arbeidsongeschikt (art. 9 lid 5)")
    SINGLE_PARENT_UNDER_5 = "single_parent_under_5", _("Alleenstaande ouder met kind onder 5 (art. 9a)")
    LANGUAGE_UNABLE = "language_unable", _("Niet in staat de taaleis te halen (art. 18b)")
    # Only where a rule set lists it: an experiment needs its own decree under art. 83 (the 2017-2019 experiments
    # had one); the shipped rule sets do not, so no exemption is granted on it until the functional administrator
    # publishes a rule set version with the decree as its source.
    EXPERIMENT = "experiment", _("Experiment volgens een besluit op grond van art. 83")


class Obligation(models.Model):
    """An obligation that applies to a client from a date (e.g. the work obligation from the start of benefit)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(_("verplichting"), max_length=24, choices=ObligationKind.choices)
    start_on = models.DateField(_("vanaf"))
    end_on = models.DateField(_("tot en met"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["kind", "-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="obligation_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["client", "kind"])]

    @property
    def short_label(self) -> str:
        return str(SHORT_LABELS.get(self.kind, self.kind))


class ExemptionQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> "ExemptionQuerySet":
        """Exemptions in force on `day`: started, and neither ended nor past their end date.

        The single definition of "in force" that is_exempt() and every bulk selection share.
        """
        return (
            self.filter(start_on__lte=day)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=day))
        )


class Exemption(models.Model):
    """An exemption (ontheffing) lifts one obligation for a period, on a legal ground."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="exemptions")
    obligation = models.CharField(_("verplichting"), max_length=24, choices=ObligationKind.choices)
    ground = models.CharField(_("wettelijke grond"), max_length=32, choices=ExemptionGround.choices)
    start_on = models.DateField(_("ingangsdatum"))
    end_on = models.DateField(_("einddatum"), null=True, blank=True)
    review_on = models.DateField(_("herbeoordeling op"), null=True, blank=True)
    reason = models.TextField(_("reden"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(_("beëindigd per"), null=True, blank=True)
    end_reason = models.TextField(_("reden beëindiging"), blank=True)

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="exemption_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=F("start_on")),
                name="exemption_review_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=False) | Q(review_on__isnull=False),
                name="exemption_has_end_or_review",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_on")),
                name="exemption_ended_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "obligation", "start_on"]),
            models.Index(fields=["review_on"]),
            models.Index(fields=["end_on"]),
        ]

    @property
    def short_label(self) -> str:
        return str(SHORT_LABELS.get(self.obligation, self.obligation))

    @property
    def effective_end(self) -> dt.date | None:
        ends = [d for d in (self.end_on, self.ended_on) if d is not None]
        return min(ends) if ends else None


class ExemptionReview(models.Model):
    """A re-examination of an exemption: it continues, and the next review date is set (art. 9a: every 6 months)."""

    exemption = models.ForeignKey(Exemption, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("herbeoordeeld op"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    next_review_on = models.DateField(_("volgende herbeoordeling"))
    note = models.TextField(_("bevindingen"))

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(next_review_on__gt=F("reviewed_on")), name="review_next_after"),
        ]
