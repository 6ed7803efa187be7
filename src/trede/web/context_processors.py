from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trede.core.roles import Role

NAVIGATION = {
    Role.CASEWORKER: [
        ("caseload", _("Mijn caseload")),
        ("due", _("Te doen")),
        ("agenda", _("Agenda")),
        ("activities", _("Activiteiten")),
        ("vacancies", _("Vacatures")),
    ],
    Role.TEAM_LEAD: [
        ("team", _("Team")),
        ("caseload", _("Caseload team")),
        ("due", _("Te doen")),
        ("route-awaiting", _("Routes bevestigen")),
        ("campaigns", _("Oproepen")),
        ("agenda", _("Agenda")),
        ("activities", _("Activiteiten")),
        ("vacancies", _("Vacatures")),
        ("figures", _("Cijfers")),
        ("outcomes-dashboard", _("Uitkomsten")),
        ("activation-dashboard", _("Activering")),
        ("sanctions", _("Maatregelen")),
    ],
    Role.POLICY_ANALYST: [
        ("figures", _("Cijfers")),
        ("outcomes-dashboard", _("Uitkomsten")),
        ("outcomes-exports", _("Exporteren")),
        ("activation-dashboard", _("Activering")),
        ("durability", _("Duurzaam werk")),
        ("matching-fairness", _("Eerlijk matchen")),
        ("model", _("Model")),
        ("pilots", _("Pilots")),
        ("simulation", _("Simulatie")),
    ],
    Role.ADMINISTRATOR: [
        ("rulesets", _("Regelsets")),
        ("outcomes-exports", _("Exporteren")),
        ("staff", _("Gebruikers")),
        ("model", _("Model")),
        ("campaigns", _("Oproepen")),
        ("letter-templates", _("Brieven")),
        ("activities", _("Activiteiten")),
        ("providers", _("Aanbieders")),
    ],
    Role.AUDITOR: [("audit-log", _("Auditlog")), ("access-log", _("Inzagelog")), ("sanctions", _("Maatregelen"))],
    Role.EMPLOYER_ADVISER: [
        ("employers", _("Werkgevers")),
        ("vacancies", _("Vacatures")),
        ("durability", _("Duurzaam werk")),
        ("matching-fairness", _("Eerlijk matchen")),
    ],
    Role.PROVIDER: [("provider-referrals", _("Verwijzingen")), ("activities", _("Onze activiteiten"))],
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    items = [
        {"url": reverse(name), "label": label, "current": name == current}
        for name, label in NAVIGATION.get(user.role, [])
    ]
    return {"nav_items": items}
