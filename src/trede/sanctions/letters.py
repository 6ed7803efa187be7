"""The decision letter of a sanction (PDF, plain Dutch B1): the facts, the culpability reasoning, the reduction in
euros per month and the period, and how to object within the term. Rendered with the house letter style of the
outreach letters (outreach.letters.pdf_from_html)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import translation

from trede.clients.models import BenefitPeriod
from trede.core.selectors import rules_on
from trede.outreach.letters import dutch_date, pdf_from_html, sender
from trede.sanctions import rules
from trede.sanctions.models import Decision


def euros(cents: int) -> str:
    whole, rest = divmod(int(cents), 100)
    return f"€ {whole:,}".replace(",", ".") + f",{rest:02d}"


def decision_pdf(decision: Decision, *, sent_on: dt.date) -> bytes:
    case = decision.case
    client = case.client
    legal = rules_on(sent_on)
    period = (
        BenefitPeriod.objects.filter(client_id=client.pk, start_on__lte=case.breach_on).order_by("-start_on").first()
    )
    with translation.override("nl"):
        page = render_to_string(
            "sanctions/decision_letter.html",
            {
                "decision": decision,
                "case": case,
                "client": client,
                "assessment": getattr(case, "assessment", None),
                "hearing": getattr(case, "hearing", None),
                "category": rules.category(case.category),
                "period": rules.period_text(decision.pct, decision.months),
                "reduction": euros(decision.reduction_cents),
                "spread": [
                    (i + 1, pct, euros(rules.monthly_reduction(decision.norm_amount_cents, pct)))
                    for i, pct in enumerate(decision.schedule or [])
                ],
                "norm": euros(decision.norm_amount_cents),
                "objection_until": dutch_date(rules.objection_deadline(sent_on, legal).due),
                "letter_date": dutch_date(sent_on),
                "breach_date": dutch_date(case.breach_on),
                "start": dutch_date(decision.start_on),
                "end": dutch_date(decision.end_on) if decision.end_on else "",
                "sender": sender(),
                # art. 18 lid 12: a reduction of the benefit of a couple falls on the household's benefit
                "household": period is not None and period.norm == "couple",
            },
        )
    return pdf_from_html(page)
