"""How timeline rows (clients.selectors.client_timeline) read in the interface."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from trede.activation.models import ParticipationKind, ReferralStatus
from trede.caseload.models import Channel
from trede.clients.models import BenefitNorm, ExitReason, LadderStep
from trede.core.models import User
from trede.employers.models import ContractType, PlacementKind
from trede.employers.models import ReferralStatus as JobReferralStatus
from trede.intake.models import DecisionStatus, Route
from trede.obligations.models import ExemptionGround, ObligationKind
from trede.sanctions.models import CaseStatus, ObjectionOutcome
from trede.sanctions.rules import CATEGORY_CHOICES


@dataclass
class Entry:
    day: dt.date
    kind: str
    heading: str
    text: str
    actor: str


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def present(rows: list[tuple]) -> list[Entry]:
    """Turn one page of timeline rows into readable entries; one query for the names of the people."""
    user_ids = {r[5] for r in rows if r[5]} | {int(r[3]) for r in rows if r[1] == "assignment" and r[3]}
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    out = []
    for day, kind, _ref, title, detail, actor in rows:
        if kind == "contact":
            heading, text = _("Contact: %(channel)s") % {"channel": _label(Channel, title)}, detail
        elif kind == "ladder":
            heading, text = (
                _("Participatieladder gemeten: trede %(step)s") % {"step": _label(LadderStep, int(title))},
                detail,
            )
        elif kind == "circumstances":
            heading, text = _("Omstandigheden vastgelegd"), detail
        elif kind == "benefit_start":
            heading, text = _("Uitkering gestart"), _label(BenefitNorm, title)
        elif kind == "benefit_end":
            heading, text = _("Uitkering beëindigd"), _("Reden: %(r)s") % {"r": _label(ExitReason, title)}
        elif kind == "obligation":
            heading, text = _("Verplichting geldt: %(k)s") % {"k": _label(ObligationKind, title)}, detail
        elif kind == "exemption":
            heading = _("Ontheffing verleend: %(k)s") % {"k": _label(ObligationKind, title)}
            text = _label(ExemptionGround, detail)
        elif kind == "exemption_review":
            heading, text = _("Ontheffing herbeoordeeld: %(k)s") % {"k": _label(ObligationKind, title)}, detail
        elif kind == "exemption_end":
            heading, text = _("Ontheffing beëindigd: %(k)s") % {"k": _label(ObligationKind, title)}, detail
        elif kind == "action_add":
            heading = _("Actie afgesproken: %(d)s") % {"d": title}
            text = _("Uiterlijk %(date)s") % {"date": dt.date.fromisoformat(str(detail)[:10]).strftime("%d-%m-%Y")}
        elif kind == "action_done":
            heading, text = _("Actie afgerond: %(d)s") % {"d": title}, ""
        elif kind == "assignment":
            heading = _("Toegedeeld aan %(name)s") % {"name": names.get(int(title), "?")}
            text = detail
        elif kind == "assessment":
            heading = _("Intake gehouden")
            text = _("Advies: %(r)s") % {"r": _label(Route, title)} if title else _("Geen advies")
        elif kind == "route":
            heading, text = _("Route gekozen: %(r)s") % {"r": _label(Route, title)}, detail
        elif kind == "route_confirm":
            heading = (
                _("Routebesluit bevestigd door teamleider")
                if title == DecisionStatus.IN_FORCE
                else _("Routebesluit niet bevestigd door teamleider")
            )
            text = detail
        elif kind == "referral":
            heading = _("Verwijzing: %(s)s") % {"s": _label(ReferralStatus, title).lower()}
            text = (detail or "").rstrip(" —")
        elif kind == "participation_start":
            heading, text = (
                _("Begonnen: %(k)s (op het woord van de cliënt)") % {"k": _label(ParticipationKind, title)},
                detail,
            )
        elif kind == "participation_end":
            heading, text = _("Gestopt met %(d)s") % {"d": title}, detail
        elif kind == "job_referral":
            heading = _("Sollicitatie: %(s)s") % {"s": _label(JobReferralStatus, title).lower()}
            text = (detail or "").rstrip(" —")
        elif kind == "placement":
            heading, text = _("Plaatsing: %(k)s") % {"k": _label(PlacementKind, title)}, detail
        elif kind == "job_exit":
            heading = _("Uitgestroomd naar werk: %(c)s") % {"c": _label(ContractType, title).lower()}
            text = detail
        elif kind == "sanction_case":
            heading = _("Maatregelzaak: %(c)s") % {"c": str(dict(CATEGORY_CHOICES).get(title, title))}
            text = _label(CaseStatus, detail)
        elif kind == "sanction_decision":
            heading = _("Besluit verstuurd: %(p)s%% gedurende %(m)s maand(en)") % {"p": title, "m": detail}
            text = ""
        elif kind == "objection":
            heading = _("Bezwaar ontvangen")
            text = _label(ObjectionOutcome, title) if title else _("nog niet beslist")
        else:
            heading, text = kind, detail
        out.append(
            Entry(
                day=day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10]),
                kind=kind,
                heading=heading,
                text=text or "",
                actor=names.get(actor, ""),
            )
        )
    return out
