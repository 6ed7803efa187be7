"""Roles of trede users. What each role may do is decided in core.rules (pure) and enforced in views and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Klantmanager")
    TEAM_LEAD = "team_lead", _("Teamleider")
    POLICY_ANALYST = "policy_analyst", _("Beleidsmedewerker")
    ADMINISTRATOR = "administrator", _("Functioneel beheerder")
    AUDITOR = "auditor", _("Auditor")
    PROVIDER = "provider", _("Aanbieder van activiteiten")
    EMPLOYER_ADVISER = "employer_adviser", _("Werkgeversadviseur")


class Purpose(models.TextChoices):
    """Why a dossier is opened: every read of a dossier is logged with one of these (AVG art. 5 lid 1b)."""

    GUIDANCE = "guidance", _("Begeleiding van mijn klant")
    SUBSTITUTION = "substitution", _("Vervanging van een collega")
    CONSULTATION = "consultation", _("Overleg met een collega")
    SUPERVISION = "supervision", _("Teamsturing en toedeling")
    API = "api", _("Koppeling (API)")
    MAILING = "mailing", _("Verzending van brieven")
    REFERRAL = "referral", _("Uitvoering van een verwijzing (aanbieder)")
    MATCHING = "matching", _("Bemiddeling naar een vacature")
