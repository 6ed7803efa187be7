"""Letter benchmarks (issue 4), used by bench/run.py: invitation letters per second on one core.

A campaign "Kennismaking" over the district with the most clients, cohorts of COHORT clients; its first cohort is
scheduled (cohort_schedule) and then `letters_generate` makes up to LETTERS letters in one process — the whole
service: the rule applied again before each letter (one query), the PDF (WeasyPrint), storing per batch of 50 with
its audit record. The PDF rendering is timed apart by wrapping trede.outreach.letters.render_pdf for the call.
One process is one core, so letters/s is letters per second per core. Loading the fonts (Pango, fontconfig: about a
second, once per process) is done before the clock starts, by rendering one letter that is not stored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

LETTERS_BUDGET_PER_CORE = 10.0  # letters per second on one core, at least
COHORT = 300
LETTERS = 200


@dataclass
class LettersResult:
    seconds: float | None = None  # the letters_generate call
    render_seconds: float | None = None  # render_pdf (WeasyPrint) within it
    letters: int = 0
    withdrawn: int = 0
    pdf_kib: float = 0.0  # average size of a letter
    note: str = ""

    @property
    def per_second(self) -> float | None:
        if not self.seconds or not self.letters:
            return None
        return self.letters / self.seconds

    @property
    def verdict(self) -> str:
        rate = self.per_second
        if rate is None:
            return ""
        return "ok" if rate >= LETTERS_BUDGET_PER_CORE else "UNDER BUDGET"


def warm_up(letters_module) -> None:
    """One letter rendered and thrown away: the process loads its fonts once."""
    import datetime as dt
    from types import SimpleNamespace

    from django.utils import timezone

    letters_module.render_pdf(
        template=letters_module.latest_template("introduction"),
        appointment=SimpleNamespace(starts_at=timezone.now(), minutes=45, place="Werkplein"),
        client=SimpleNamespace(first_name="A", full_name="A B", street="", house_number="", postcode="", city=""),
        caseworker=SimpleNamespace(get_full_name=lambda: "C D", get_username=lambda: "c"),
        on=dt.date.today(),
    )


def letters_per_second(today, organiser, *, cohort_size: int = COHORT, letters: int = LETTERS) -> LettersResult:
    """Plan and schedule one cohort, then time letters_generate on it (see the module docstring)."""
    from django.core.exceptions import ValidationError
    from django.db.models import Avg, Count
    from django.db.models.functions import Length

    from trede.clients.models import District
    from trede.outreach import letters as letters_module
    from trede.outreach.models import Letter
    from trede.outreach.services import campaign_create, campaign_plan, cohort_schedule

    result = LettersResult()
    district = District.objects.annotate(n=Count("clients")).order_by("-n", "pk").first()
    if district is None:
        result.note = "no district"
        return result
    try:
        campaign = campaign_create(
            actor=organiser,
            name="Bench: kennismaking",
            purpose="introduction",
            starts_on=today,
            cohort_size=cohort_size,
            districts=[district.pk],
        )
        campaign_plan(actor=organiser, campaign=campaign, on=today)
        cohort = campaign.cohorts.order_by("number").first()
        if cohort is None:
            result.note = f"nobody to invite in {district.name}"
            return result
        cohort_schedule(actor=organiser, cohort=cohort)
    except ValidationError as exc:
        result.note = "planning refused: " + " ".join(exc.messages)
        return result
    warm_up(letters_module)
    rendering: list[float] = []
    real = letters_module.render_pdf

    def timed(**kwargs):
        t0 = time.perf_counter()
        try:
            return real(**kwargs)
        finally:
            rendering.append(time.perf_counter() - t0)

    letters_module.render_pdf = timed
    try:
        t0 = time.perf_counter()
        run = letters_module.letters_generate(actor=organiser, cohort=cohort, on=today, limit=letters)
        result.seconds = time.perf_counter() - t0
    except ValidationError as exc:
        result.note = "letters_generate refused: " + " ".join(exc.messages)
        return result
    finally:
        letters_module.render_pdf = real
    result.render_seconds = sum(rendering)
    result.letters, result.withdrawn = run.made, run.withdrawn
    size = Letter.objects.filter(invitation__cohort=cohort).aggregate(s=Avg(Length("pdf")))["s"]
    result.pdf_kib = (size or 0) / 1024
    if not run.made:
        result.note = "no letter made"
    return result
