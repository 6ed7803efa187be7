from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """A district (wijk) of the municipality."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    # the district's centre in km (Rijksdriehoek / 1000): travel times in matching are estimated between centres,
    # so that no home address is needed for it
    x_km = models.FloatField(_("x midden (km)"), null=True, blank=True)
    y_km = models.FloatField(_("y midden (km)"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    """Kept to measure fairness per group; never an input of any model (see the project's principles)."""

    FEMALE = "f", _("Vrouw")
    MALE = "m", _("Man")
    OTHER = "x", _("Anders / onbekend")


class Client(models.Model):
    bsn = models.CharField(_("BSN"), max_length=9, unique=True)
    first_name = models.CharField(_("voornaam"), max_length=100)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=100)
    birth_date = models.DateField(_("geboortedatum"))
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices, default=Gender.OTHER)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=16, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    district = models.ForeignKey(District, verbose_name=_("wijk"), on_delete=models.PROTECT, related_name="clients")
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    next_review_on = models.DateField(_("volgende herbeoordeling"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surname", "first_name", "id"]
        indexes = [models.Index(fields=["surname", "first_name"]), models.Index(fields=["next_review_on"])]
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.surname_prefix, self.surname) if p)


class HouseholdKind(models.TextChoices):
    SINGLE = "single", _("Alleenstaand")
    SINGLE_PARENT = "single_parent", _("Alleenstaande ouder")
    COUPLE = "couple", _("Gehuwd / samenwonend")
    COUPLE_WITH_CHILDREN = "couple_children", _("Gehuwd / samenwonend met kinderen")
    COST_SHARERS = "cost_sharers", _("Met kostendelers")


class Household(models.Model):
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="household")
    kind = models.CharField(_("samenstelling"), max_length=20, choices=HouseholdKind.choices)

    class Meta:
        verbose_name = _("huishouden")


class MemberRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Kind")
    CO_RESIDENT = "co_resident", _("Medebewoner")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("rol"), max_length=16, choices=MemberRole.choices)
    first_name = models.CharField(_("voornaam"), max_length=100)
    birth_date = models.DateField(_("geboortedatum"))

    class Meta:
        ordering = ["role", "birth_date"]


class ExitReason(models.TextChoices):
    WORK = "work", _("Werk")
    EDUCATION = "education", _("Opleiding")
    PARTNER_INCOME = "partner_income", _("Inkomen partner")
    OTHER_BENEFIT = "other_benefit", _("Andere uitkering of pensioen")
    MOVED = "moved", _("Verhuisd naar andere gemeente")
    OTHER = "other", _("Anders")


class BenefitNorm(models.TextChoices):
    SINGLE = "single", _("Alleenstaande (ouder)")
    COUPLE = "couple", _("Gehuwden")
    COST_SHARER = "cost_sharer", _("Kostendelersnorm")


class BenefitPeriod(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="benefit_periods")
    start_on = models.DateField(_("ingangsdatum"))
    end_on = models.DateField(_("einddatum"), null=True, blank=True)
    norm = models.CharField(_("norm"), max_length=16, choices=BenefitNorm.choices, default=BenefitNorm.SINGLE)
    exit_reason = models.CharField(_("reden beëindiging"), max_length=20, choices=ExitReason.choices, blank=True)

    class Meta:
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="benefit_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["client"], condition=Q(end_on__isnull=True), name="benefit_one_open_period"
            ),
        ]
        indexes = [models.Index(fields=["client", "-start_on"])]


class Education(models.TextChoices):
    NONE = "none", _("Geen of basisonderwijs")
    LOW = "low", _("Vmbo, mbo 1")
    MIDDLE = "middle", _("Mbo 2-4, havo, vwo")
    HIGH = "high", _("Hbo, wo")


class LanguageLevel(models.TextChoices):
    BELOW_1F = "below_1f", _("Onder 1F")
    F1 = "1f", _("1F")
    F2 = "2f", _("2F")
    F3 = "3f", _("3F of hoger / moedertaal")


class Health(models.TextChoices):
    NONE = "none", _("Geen beperkingen")
    SOME = "some", _("Enige beperkingen")
    SEVERE = "severe", _("Ernstige beperkingen")


class Debts(models.TextChoices):
    NONE = "none", _("Geen schulden")
    SOME = "some", _("Schulden, geregeld")
    PROBLEMATIC = "problematic", _("Problematische schulden")


class Social(models.TextChoices):
    GOOD = "good", _("Goed netwerk")
    LIMITED = "limited", _("Beperkt netwerk")
    ISOLATED = "isolated", _("Geïsoleerd")


class Circumstances(models.Model):
    """The client's circumstances as recorded on a date; the newest recording is the current one."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="circumstances")
    recorded_on = models.DateField(_("vastgelegd op"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    education = models.CharField(_("hoogste opleiding"), max_length=8, choices=Education.choices)
    work_experience_years = models.PositiveSmallIntegerField(_("jaren werkervaring"))
    last_worked_year = models.PositiveSmallIntegerField(_("laatst gewerkt in (jaar)"), null=True, blank=True)
    dutch_level = models.CharField(_("taalniveau Nederlands"), max_length=8, choices=LanguageLevel.choices)
    health = models.CharField(_("gezondheid"), max_length=8, choices=Health.choices)
    health_note = models.CharField(_("toelichting gezondheid"), max_length=500, blank=True)
    care_duties = models.BooleanField(_("zorgtaken"), default=False)
    care_note = models.CharField(_("toelichting zorgtaken"), max_length=500, blank=True)
    debts = models.CharField(_("schulden"), max_length=12, choices=Debts.choices)
    social = models.CharField(_("sociale situatie"), max_length=8, choices=Social.choices)
    note = models.TextField(_("overige toelichting"), blank=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["client", "-recorded_on"])]
        verbose_name_plural = _("omstandigheden")


class LadderStep(models.IntegerChoices):
    """Divosa participatieladder."""

    ISOLATED = 1, _("1 Geïsoleerd")
    SOCIAL_CONTACTS = 2, _("2 Sociale contacten buiten de deur")
    ORGANISED_ACTIVITIES = 3, _("3 Deelname georganiseerde activiteiten")
    UNPAID_WORK = 4, _("4 Onbetaald werk")
    PAID_WORK_SUPPORTED = 5, _("5 Betaald werk met ondersteuning")
    PAID_WORK = 6, _("6 Betaald werk")


class LadderMeasurement(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ladder_measurements")
    step = models.PositiveSmallIntegerField(_("trede"), choices=LadderStep.choices)
    measured_on = models.DateField(_("gemeten op"))
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gemeten door"),
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["-measured_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(step__gte=1, step__lte=6), name="ladder_step_1_6")]
        indexes = [models.Index(fields=["client", "-measured_on"])]
