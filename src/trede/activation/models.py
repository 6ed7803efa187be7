"""Activation and participation: the activity catalogue of the municipality and its partners, referrals of clients
to activities (a state machine with an event per step), and participation — what a client does and for how many
hours, whether trede referred them or not (informal care and self-found volunteer work count, on the client's word).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trede.clients.models import LanguageLevel


class ProviderKind(models.TextChoices):
    WELFARE = "welfare", _("Welzijnsorganisatie")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Wijkteam")
    COMMUNITY_CENTRE = "community_centre", _("Buurthuis")
    MUNICIPALITY = "municipality", _("Gemeente")
    EDUCATION = "education", _("Opleider")
    OTHER = "other", _("Andere organisatie")


class Provider(models.Model):
    """An organisation that offers activities. Its staff log in with the role 'provider' (ProviderMember)."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort organisatie"), max_length=20, choices=ProviderKind.choices)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")

    def __str__(self) -> str:
        return self.name


class ProviderMember(models.Model):
    """A user who works for a provider: sees only the referrals to that provider's activities."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_member")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="members")


class ActivityKind(models.TextChoices):
    VOLUNTEER_WORK = "volunteer_work", _("Vrijwilligerswerk")
    TEGENPRESTATIE = "tegenprestatie", _("Tegenprestatie")
    COURSE = "course", _("Cursus of training")
    LANGUAGE = "language", _("Taal")
    HEALTH = "health", _("Gezondheid en bewegen")
    DEBTS = "debts", _("Geldzaken en schulden")
    SOCIAL_CONTACT = "social_contact", _("Sociaal contact")
    WORK_EXPERIENCE = "work_experience", _("Werkervaring")


class PhysicalLoad(models.TextChoices):
    LIGHT = "light", _("Licht (zittend, weinig tillen)")
    MEDIUM = "medium", _("Gemiddeld (staan en lopen)")
    HEAVY = "heavy", _("Zwaar (tillen, buiten werken)")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    OFFERED = "offered", _("Aangeboden")
    CLOSED = "closed", _("Gestopt")


class Activity(models.Model):
    """One activity in the catalogue. Free places = capacity minus the referrals that hold a place."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="activities")
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=ActivityKind.choices)
    description = models.TextField(_("wat houdt het in"), blank=True)
    district = models.ForeignKey(
        "clients.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wijk"),
        help_text=_("Leeg: voor de hele gemeente."),
    )
    location = models.CharField(_("adres of plek"), max_length=200)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"))
    physical_load = models.CharField(_("lichamelijke belasting"), max_length=8, choices=PhysicalLoad.choices)
    language_level = models.CharField(
        _("taalniveau nodig"),
        max_length=8,
        choices=LanguageLevel.choices,
        blank=True,
        help_text=_("Leeg: geen Nederlands nodig."),
    )
    capacity = models.PositiveIntegerField(_("aantal plaatsen"))
    contact_name = models.CharField(_("contactpersoon"), max_length=200)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    is_tegenprestatie = models.BooleanField(_("telt als tegenprestatie"), default=False)
    no_displacement = models.TextField(
        _("waarom dit geen betaald werk verdringt"),
        blank=True,
        help_text=_(
            "Verplicht voor een tegenprestatie (art. 9 lid 1c Participatiewet). Vult de functioneel beheerder in."
        ),
    )
    status = models.CharField(_("status"), max_length=8, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["district", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="offered", is_tegenprestatie=True, no_displacement=""),
                name="tegenprestatie_offered_states_no_displacement",
            ),
            models.CheckConstraint(condition=Q(hours_per_week__lte=40), name="activity_hours_at_most_40"),
        ]

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Op de wachtlijst")
    PROPOSED = "proposed", _("Voorgesteld")
    ACCEPTED = "accepted", _("Cliënt doet mee")
    STARTED = "started", _("Gestart")
    ACTIVE = "active", _("Actief")
    ENDED = "ended", _("Beëindigd")
    DECLINED = "declined", _("Afgewezen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


# the states in which a referral holds a place of the activity
PLACE_HOLDING = (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.ACTIVE)
OPEN_STATES = (ReferralStatus.WAITING, *PLACE_HOLDING)


class Referral(models.Model):
    """A client sent to an activity. Each change of status is a ReferralEvent (date, reason, who)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="referrals")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices)
    voluntary = models.BooleanField(
        _("vrijwillig"),
        default=True,
        help_text=_(
            "Niet vrijwillig alleen als het een tegenprestatie is die de gemeente handhaaft en de cliënt "
            "daarvan geen ontheffing heeft."
        ),
    )
    proposed_on = models.DateField(_("voorgesteld op"))
    status_on = models.DateField(_("status sinds"))
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["activity", "status"]), models.Index(fields=["client", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "activity"],
                condition=Q(status__in=["waiting", "proposed", "accepted", "started", "active"]),
                name="one_open_referral_per_client_activity",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class ReferralEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    on = models.DateField(_("datum"))
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]


class ParticipationKind(models.TextChoices):
    VOLUNTEER_WORK = "volunteer_work", _("Vrijwilligerswerk")
    INFORMAL_CARE = "informal_care", _("Mantelzorg")
    TEGENPRESTATIE = "tegenprestatie", _("Tegenprestatie")
    COURSE = "course", _("Cursus of training")
    LANGUAGE = "language", _("Taal")
    HEALTH = "health", _("Gezondheid en bewegen")
    DEBTS = "debts", _("Geldzaken en schulden")
    SOCIAL_CONTACT = "social_contact", _("Sociaal contact")
    WORK_EXPERIENCE = "work_experience", _("Werkervaring")
    OTHER = "other", _("Iets anders")


class ParticipationSource(models.TextChoices):
    REFERRAL = "referral", _("Via een verwijzing")
    CLIENT = "client", _("Op zijn of haar woord (zelf gevonden)")


class NextStep(models.TextChoices):
    NEW_ACTIVITY = "new_activity", _("Een andere activiteit")
    CONTINUE_ALONE = "continue_alone", _("Gaat zelf verder (zonder verwijzing)")
    WORK_ROUTE = "work_route", _("Naar werk of de route naar werk")
    PAID_WORK = "paid_work", _("Heeft betaald werk")
    CARE = "care", _("Eerst zorg of hulp")
    REST = "rest", _("Rust, met afspraak voor contact")


class Participation(models.Model):
    """What a client does, how many hours a week, from when to when. Self-reported participation is recorded on the
    client's word: no proof is asked. follow_up_on is the next follow-up contact (local rule follow_up_months)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="participations")
    kind = models.CharField(_("soort"), max_length=20, choices=ParticipationKind.choices)
    description = models.CharField(_("wat"), max_length=200)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"))
    start_on = models.DateField(_("begonnen op"))
    end_on = models.DateField(_("gestopt op"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=10, choices=ParticipationSource.choices)
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="participation"
    )
    counts_as_tegenprestatie = models.BooleanField(_("telt als tegenprestatie"), default=False)
    follow_up_on = models.DateField(_("volgende contact"), null=True, blank=True)
    end_reason = models.CharField(_("reden van stoppen"), max_length=500, blank=True)
    next_step = models.CharField(_("volgende stap"), max_length=16, choices=NextStep.choices, blank=True)
    next_step_note = models.CharField(_("toelichting volgende stap"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["client", "-start_on"]),
            models.Index(fields=["follow_up_on"], condition=Q(end_on__isnull=True), name="participation_follow_up_idx"),
            models.Index(fields=["start_on", "end_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")), name="participation_period"
            ),
            models.CheckConstraint(condition=Q(hours_per_week__lte=80), name="participation_hours_at_most_80"),
        ]

    @property
    def is_active(self) -> bool:
        return self.end_on is None
