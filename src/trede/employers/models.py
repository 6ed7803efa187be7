"""Employer services: employers with a fixed adviser, their contact persons and agreements, vacancies that are only
published when complete, matches (discussed, proposed, declined with a reason), referrals of clients to a vacancy (a
state machine with an event per step), placements (trial placement within the legal limits, wage subsidy from the
assessed wage value, a climbing job's promised training) and the exit to work with its follow-ups at 1, 6 and 12
months."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trede.clients.models import Education, LanguageLevel


class Sector(models.TextChoices):
    """SBI 2008 sections (CBS, Standaard Bedrijfsindeling): a public classification instead of free text."""

    A = "A", _("Landbouw, bosbouw en visserij")
    B = "B", _("Delfstoffenwinning")
    C = "C", _("Industrie")
    D = "D", _("Energievoorziening")
    E = "E", _("Water, afval en sanering")
    F = "F", _("Bouw")
    G = "G", _("Handel")
    H = "H", _("Vervoer en opslag")
    I = "I", _("Horeca")  # noqa: E741 - the SBI letter
    J = "J", _("Informatie en communicatie")
    K = "K", _("Financiële dienstverlening")
    L = "L", _("Verhuur en handel van onroerend goed")
    M = "M", _("Specialistische zakelijke diensten")
    N = "N", _("Verhuur en overige zakelijke diensten (o.a. schoonmaak, uitzendbureaus)")
    O = "O", _("Openbaar bestuur")  # noqa: E741 - the SBI letter
    P = "P", _("Onderwijs")
    Q = "Q", _("Gezondheids- en welzijnszorg")
    R = "R", _("Cultuur, sport en recreatie")
    S = "S", _("Overige dienstverlening")


class PsoLevel(models.TextChoices):
    """Prestatieladder Socialer Ondernemen (PSO), the certification of socially responsible employers."""

    NONE = "", _("Geen")
    STARTER = "starter", _("Aspirant / startende status")
    STEP1 = "1", _("Trede 1")
    STEP2 = "2", _("Trede 2")
    STEP3 = "3", _("Trede 3")
    PSO30 = "30plus", _("PSO 30+")


class Employer(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    sector = models.CharField(_("sector (SBI)"), max_length=1, choices=Sector.choices)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employers",
        verbose_name=_("vaste werkgeversadviseur"),
    )
    address = models.CharField(_("adres"), max_length=200, blank=True)
    district = models.ForeignKey(
        "clients.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk")
    )
    social_return = models.BooleanField(_("afspraken over social return"), default=False)
    pso_level = models.CharField(
        _("Prestatieladder Socialer Ondernemen"), max_length=8, choices=PsoLevel.choices, blank=True
    )
    agreements = models.TextField(_("afspraken"), blank=True)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")
        constraints = [
            models.UniqueConstraint(fields=["kvk_number"], condition=~Q(kvk_number=""), name="employer_kvk_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("naam"), max_length=200)
    role = models.CharField(_("functie"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contactpersoon")

    def __str__(self) -> str:
        return self.name


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Vast contract")
    FIXED = "fixed", _("Tijdelijk contract")
    AGENCY = "agency", _("Uitzendcontract")
    ON_CALL = "on_call", _("Oproepcontract")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    OPEN = "open", _("Open")
    FILLED = "filled", _("Vervuld")
    CLOSED = "closed", _("Gesloten")


class PhysicalLoad(models.TextChoices):
    LIGHT = "light", _("Licht")
    MEDIUM = "medium", _("Gemiddeld")
    HEAVY = "heavy", _("Zwaar")


class Vacancy(models.Model):
    """A vacancy. Published (open) only when complete (rules.vacancy_missing): wage, hours, contract, tasks,
    requirements, location, start date and a contact person."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField(_("functie"), max_length=200)
    occupation = models.CharField(_("beroep (ISCO-08)"), max_length=4, blank=True)
    tasks = models.TextField(_("taken"), blank=True)
    wage_min = models.DecimalField(
        _("bruto uurloon vanaf (EUR)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    wage_max = models.DecimalField(_("bruto uurloon tot (EUR)"), max_digits=6, decimal_places=2, null=True, blank=True)
    wage_scale = models.CharField(_("loonschaal (cao)"), max_length=100, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True)
    contract_type = models.CharField(_("soort contract"), max_length=12, choices=ContractType.choices, blank=True)
    contract_months = models.PositiveSmallIntegerField(
        _("duur contract (maanden)"), null=True, blank=True, help_text=_("Leeg bij een vast contract.")
    )
    education = models.CharField(_("opleiding nodig"), max_length=8, choices=Education.choices, blank=True)
    language_level = models.CharField(_("taalniveau nodig"), max_length=8, choices=LanguageLevel.choices, blank=True)
    language_required = models.BooleanField(_("taalniveau is een harde eis"), default=False)
    physical_load = models.CharField(
        _("lichamelijke belasting"), max_length=8, choices=PhysicalLoad.choices, blank=True
    )
    driving_licence = models.BooleanField(_("rijbewijs B nodig"), default=False)
    location = models.CharField(_("werkplek (adres)"), max_length=200, blank=True)
    district = models.ForeignKey(
        "clients.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk")
    )
    start_on = models.DateField(_("startdatum"), null=True, blank=True)
    contact = models.ForeignKey(
        ContactPerson,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("contactpersoon"),
    )
    positions = models.PositiveSmallIntegerField(_("aantal plaatsen"), default=1)
    offers_trial_placement = models.BooleanField(_("proefplaatsing mogelijk"), default=False)
    offers_wage_subsidy = models.BooleanField(_("loonkostensubsidie mogelijk"), default=False)
    offers_job_coach = models.BooleanField(_("jobcoach mogelijk"), default=False)
    offers_training = models.BooleanField(_("opleiding mogelijk"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vacature")
        verbose_name_plural = _("vacatures")
        indexes = [models.Index(fields=["status", "district"])]
        constraints = [
            # the database backs the completeness rule for what cannot be left out
            models.CheckConstraint(
                condition=~Q(status="open")
                | (
                    Q(hours_per_week__isnull=False, start_on__isnull=False, contact__isnull=False)
                    & ~Q(contract_type="")
                    & ~Q(tasks="")
                    & ~Q(location="")
                    & (Q(wage_min__isnull=False) | ~Q(wage_scale=""))
                ),
                name="vacancy_open_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(wage_min__isnull=True) | Q(wage_max__isnull=True) | Q(wage_min__lte=models.F("wage_max")),
                name="vacancy_wage_band",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"


class MatchStatus(models.TextChoices):
    DISCUSSED = "discussed", _("Besproken met de cliënt")
    PROPOSED = "proposed", _("Voorgesteld aan de werkgever")
    DECLINED = "declined", _("Afgewezen")


class Match(models.Model):
    """What a caseworker or adviser did with a match, with the score and its parts as they were shown."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="matches")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="matches")
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    components = models.JSONField(_("onderdelen van de score"), default=dict, blank=True)
    on = models.DateField(_("datum"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "client"], name="one_match_per_vacancy_client")]


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Voorgesteld")
    SENT = "sent", _("Cv gestuurd")
    INTERVIEW = "interview", _("Sollicitatiegesprek")
    TRIAL_PLACEMENT = "trial_placement", _("Proefplaatsing")
    HIRED = "hired", _("Aangenomen")
    NOT_HIRED = "not_hired", _("Niet aangenomen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class Referral(models.Model):
    """A client referred to a vacancy. Each step is a ReferralEvent, shown on the vacancy and the client timeline."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="referrals")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="job_referrals")
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices)
    status_on = models.DateField(_("status sinds"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-status_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "client"],
                condition=Q(status__in=["proposed", "sent", "interview", "trial_placement"]),
                name="one_open_job_referral",
            )
        ]


class ReferralEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    on = models.DateField(_("datum"))
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]


class PlacementKind(models.TextChoices):
    TRIAL = "trial", _("Proefplaatsing (met behoud van uitkering)")
    WAGE_SUBSIDY = "wage_subsidy", _("Baan met loonkostensubsidie")
    CLIMBING = "climbing", _("Klimopbaan (met beloofde opleiding)")
    REGULAR = "regular", _("Gewone baan")


class PlacementOutcome(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    NO_CONTRACT = "no_contract", _("Geen contract")


class Placement(models.Model):
    """A client placed at an employer. A trial placement lasts at most the legal term plus one extension and states
    the contract intended afterwards; a wage subsidy records the assessed wage value (loonwaarde) with its dates; a
    climbing job records the promised training and its date."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="placements")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="placements")
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    kind = models.CharField(_("soort"), max_length=16, choices=PlacementKind.choices)
    start_on = models.DateField(_("begint op"))
    end_on = models.DateField(_("eindigt op"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"))
    # trial placement
    extended_until = models.DateField(_("verlengd tot"), null=True, blank=True)
    intended_contract = models.CharField(_("beoogd contract daarna"), max_length=300, blank=True)
    # wage subsidy (art. 10d)
    wage_value_pct = models.PositiveSmallIntegerField(_("loonwaarde (%)"), null=True, blank=True)
    wage_value_assessed_on = models.DateField(_("loonwaarde vastgesteld op"), null=True, blank=True)
    wage_value_review_on = models.DateField(_("loonwaarde opnieuw vaststellen op"), null=True, blank=True)
    subsidy_monthly = models.DecimalField(
        _("loonkostensubsidie per maand (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # climbing job
    promised_training = models.CharField(_("beloofde opleiding"), max_length=300, blank=True)
    training_due_on = models.DateField(_("opleiding uiterlijk begonnen op"), null=True, blank=True)
    training_started_on = models.DateField(_("opleiding begonnen op"), null=True, blank=True)
    # outcome
    outcome = models.CharField(_("uitkomst"), max_length=12, choices=PlacementOutcome.choices, blank=True)
    outcome_reason = models.CharField(_("toelichting uitkomst"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["kind", "end_on"]), models.Index(fields=["client", "-start_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")), name="placement_period"
            ),
            models.CheckConstraint(
                condition=~Q(kind="trial") | ~Q(intended_contract=""), name="trial_states_intended_contract"
            ),
            models.CheckConstraint(
                condition=~Q(kind="climbing") | (~Q(promised_training="") & Q(training_due_on__isnull=False)),
                name="climbing_job_states_training",
            ),
            models.CheckConstraint(
                condition=Q(wage_value_pct__isnull=True) | Q(wage_value_pct__lte=100), name="wage_value_at_most_100"
            ),
        ]


class Exit(models.Model):
    """A client left benefit for work: the job as it was on the exit date. Follow-ups at 1, 6 and 12 months."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="job_exits")
    benefit_period = models.OneToOneField(
        "clients.BenefitPeriod", on_delete=models.PROTECT, related_name="job_exit", null=True, blank=True
    )
    exit_on = models.DateField(_("uit de bijstand op"))
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="exits", verbose_name=_("werkgever")
    )
    employer_name = models.CharField(_("werkgever (als die niet bekend is in trede)"), max_length=200, blank=True)
    placement = models.ForeignKey(Placement, null=True, blank=True, on_delete=models.PROTECT, related_name="exits")
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"))
    contract_type = models.CharField(_("soort contract"), max_length=12, choices=ContractType.choices)
    contract_months = models.PositiveSmallIntegerField(_("duur contract (maanden)"), null=True, blank=True)
    hourly_wage = models.DecimalField(_("bruto uurloon (EUR)"), max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-exit_on", "-id"]


class FollowUp(models.Model):
    """A follow-up after an exit to work: still working? still off benefit? need for a job coach?"""

    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("na maanden"))
    due_on = models.DateField(_("gepland op"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    still_working = models.BooleanField(_("werkt nog"), null=True, blank=True)
    off_benefit = models.BooleanField(_("nog uit de bijstand"), null=True, blank=True)
    needs_job_coach = models.BooleanField(_("jobcoach nodig"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_on__isnull=True), name="follow_up_open_idx")]
        constraints = [models.UniqueConstraint(fields=["exit", "months"], name="one_follow_up_per_moment")]


class WorkProfile(models.Model):
    """What a client has done and wants in work, as recorded on a date (the newest is the current one): occupations
    with years of experience and preferred occupations as ISCO-08 codes (trede.stats.occupations), hours wanted per
    week and a driving licence. Used by matching; the client sees and corrects it with the caseworker."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="work_profiles")
    recorded_on = models.DateField(_("vastgelegd op"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    experience = models.JSONField(_("werkervaring"), default=list, blank=True)  # [{"code": "9112", "years": 3}]
    preferences = models.JSONField(_("voorkeur voor beroepen"), default=list, blank=True)  # ["5223", ...]
    hours_wanted = models.PositiveSmallIntegerField(_("gewenste uren per week"), null=True, blank=True)
    driving_licence = models.BooleanField(_("rijbewijs B"), default=False)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["client", "-recorded_on"])]
