from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trede.core.roles import Purpose, Role


class User(AbstractUser):
    """A person who works with trede. The role decides what they may see; the language what they read."""

    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, default=Role.CASEWORKER)
    language = models.CharField(_("taal"), max_length=8, choices=settings.LANGUAGES, default="nl")

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditRecord(models.Model):
    """One write to trede: who, when, what, and the old and new values. Written in the writing transaction."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64)
    model = models.CharField(max_length=64)
    object_pk = models.CharField(max_length=64, blank=True)
    client_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client_id", "-at"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model}#{self.object_pk}"


class AccessRecord(models.Model):
    """One read of a dossier (or an attempt): who, which client, when, for what purpose, and whether allowed."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_id = models.BigIntegerField()
    purpose = models.CharField(max_length=32, choices=Purpose.choices, blank=True)
    granted = models.BooleanField()
    channel = models.CharField(max_length=16, default="web")  # web | api
    path = models.CharField(max_length=255, blank=True)
    trace_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client_id", "-at"]), models.Index(fields=["actor", "-at"])]


class RuleScope(models.TextChoices):
    LEGAL = "legal", _("Wet en regelgeving")
    LOCAL = "local", _("Lokaal beleid")


class RuleSet(models.Model):
    """A dated version of legal or local parameters with its source. Decisions use the set valid on their date."""

    scope = models.CharField(_("soort"), max_length=8, choices=RuleScope.choices)
    name = models.CharField(_("naam"), max_length=200)
    version = models.CharField(_("versie"), max_length=50)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    source = models.TextField(_("bron"))
    parameters = models.JSONField(_("parameters"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["scope", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "valid_from"], name="ruleset_one_start_per_scope"),
            models.UniqueConstraint(
                fields=["scope"], condition=Q(valid_until__isnull=True), name="ruleset_one_open_version_per_scope"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="ruleset_until_after_from",
            ),
        ]
        verbose_name = _("regelset")
        verbose_name_plural = _("regelsets")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
