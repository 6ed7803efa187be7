from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    districts = models.ManyToManyField("clients.District", blank=True, related_name="teams", verbose_name=_("wijken"))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A caseworker or team lead in a team."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_membership")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), default=36)


class Assignment(models.Model):
    """A client in a caseworker's caseload for a period; the history of who guided whom is kept."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="assignments")
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="assignments")
    start_on = models.DateField(_("vanaf"))
    end_on = models.DateField(_("tot en met"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reden"), max_length=500, blank=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(end_on__isnull=True), name="assignment_one_current_per_client"
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="assignment_end_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["caseworker", "client"],
                condition=Q(end_on__isnull=True),
                name="assignment_current_idx",
            ),
            models.Index(fields=["team"], condition=Q(end_on__isnull=True), name="assignment_team_current_idx"),
            models.Index(fields=["client", "-start_on"]),
        ]


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Gesprek op kantoor")
    HOME_VISIT = "home_visit", _("Huisbezoek")
    PHONE = "phone", _("Telefoon")
    VIDEO = "video", _("Beeldbellen")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Brief")


class ContactMoment(models.Model):
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="contacts")
    contact_on = models.DateField(_("datum"))
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    summary = models.TextField(_("verslag"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_on", "-id"]
        indexes = [models.Index(fields=["client", "-contact_on"])]


class Responsible(models.TextChoices):
    CLIENT = "client", _("Cliënt")
    CASEWORKER = "caseworker", _("Klantmanager")
    PARTNER = "partner", _("Partnerorganisatie")


class ActionItem(models.Model):
    """One agreed action of the action plan (plan van aanpak, art. 44a Participatiewet)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(_("wat"), max_length=500)
    responsible = models.CharField(_("wie"), max_length=16, choices=Responsible.choices)
    responsible_note = models.CharField(_("toelichting wie"), max_length=200, blank=True)
    deadline = models.DateField(_("uiterlijk"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_on = models.DateField(_("afgesproken op"))

    class Meta:
        ordering = ["done_on", "deadline", "id"]
        indexes = [
            models.Index(fields=["client", "deadline"]),
            models.Index(fields=["deadline"], condition=Q(done_on__isnull=True), name="action_open_idx"),
        ]
