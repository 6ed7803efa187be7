"""Invitation letters: one PDF per invitation (WeasyPrint), from the latest version of the purpose's template.

A letter is in plain Dutch (B1) whatever the user's interface language. Its fixed frame (outreach/letter.html)
always holds: the municipality as sender, the client's address, the letter's date, a box with date, time, place and
the caseworker, how to make another appointment (phone and e-mail of the municipality), and, only for the purposes
whose obligation exists (rules.consequence_applies: not for a review of exemptions, and for a tegenprestatie only
where the municipality enforces it), a calm paragraph on what not coming
without a good reason can lead to (Participatiewet art. 18 lid 2: a lower benefit, only after the client has been
heard). A review of exemptions imposes nothing, so its letter never says so.

The editable part is the template's subject and body (LetterTemplate), written by the functional administrator.
The body is plain text with Django template fields ({{ naam }}, see FIELDS): it is rendered, then escaped as a
whole (no HTML from a template reaches the PDF), then laid out: a blank line starts a new paragraph, a line starting
with "# " is a heading and lines starting with "- " form a list. A new text is a new version; a letter records the
version it used. Templates are checked when published: the syntax must be right and every field must be known.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Prefetch
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trede.core.audit import audit, audit_bulk
from trede.core.models import User
from trede.core.roles import Role
from trede.core.selectors import rules_on
from trede.outreach import services
from trede.outreach.models import (
    Appointment,
    Cohort,
    Invitation,
    InvitationStatus,
    Letter,
    LetterTemplate,
    Outcome,
    Purpose,
)
from trede.outreach.rules import consequence_applies

BATCH = 50  # letters per transaction: an interrupted run keeps every finished batch and resumes after it

# The municipality as sender. Synthetic defaults; a municipality sets TREDE_LETTER_SENDER in its settings.
SENDER_DEFAULT = {
    "gemeente": "Gemeente Voorbeeld",
    "afdeling": "Team Werk en Inkomen",
    "adres": "Postbus 1234, 1000 AB Voorbeeld",
    "telefoon": "(0123) 45 67 89",
    "bereikbaar": "maandag tot en met vrijdag van 9.00 tot 17.00 uur",
    "email": "werkeninkomen@gemeente-voorbeeld.example",
}

# The fields a template may use, with what they hold (shown on the template editor).
FIELDS: dict[str, str] = {
    "naam": gettext_lazy("Volledige naam van de cliënt"),
    "voornaam": gettext_lazy("Voornaam van de cliënt"),
    "datum": gettext_lazy("Datum van het gesprek, bijvoorbeeld maandag 2 maart 2026"),
    "tijd": gettext_lazy("Begintijd van het gesprek, bijvoorbeeld 10.15 uur"),
    "eindtijd": gettext_lazy("Eindtijd van het gesprek"),
    "duur": gettext_lazy("Duur van het gesprek, bijvoorbeeld 45 minuten"),
    "plaats": gettext_lazy("Plaats van het gesprek"),
    "klantmanager": gettext_lazy("Naam van de klantmanager"),
    "gemeente": gettext_lazy("Naam van de gemeente"),
    "telefoon": gettext_lazy("Telefoonnummer van de gemeente"),
    "email": gettext_lazy("E-mailadres van de gemeente"),
    "doel": gettext_lazy("Waar de oproep over gaat (het doel van de campagne)"),
}
# A review of exemptions imposes nothing: its letter may not threaten with a lower benefit.
THREAT_WORDS = re.compile(r"maatregel|verlag|lagere uitkering|korting|sanctie|boete", re.IGNORECASE)
_MISSING = "\x00ontbreekt:%s\x00"
_MISSING_RE = re.compile("\x00ontbreekt:([^\x00]*)\x00")


@cache
def _engine() -> Engine:
    """A template engine for the letter texts alone: built-in tags and filters, no {% load %} of other
    libraries, no template loading ({% include %}/{% extends %} fail), unknown fields marked."""
    return Engine(string_if_invalid=_MISSING, autoescape=False)


def sender() -> dict[str, str]:
    return {**SENDER_DEFAULT, **getattr(settings, "TREDE_LETTER_SENDER", {})}


def _dutch_date(day: dt.date) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "l j F Y")


def _clock(moment: dt.datetime) -> str:
    return f"{moment:%H.%M} uur"


def sample_fields(purpose: str = Purpose.INTRODUCTION) -> dict[str, str]:
    """Example values for checking and previewing a template."""
    start = dt.datetime(2026, 3, 2, 10, 15)
    return _fields_for(
        first_name="Fatima",
        full_name="Fatima Jansen",
        starts_at=start,
        minutes=45,
        place="Werkplein, balie Werk en Inkomen",
        caseworker="Anna de Vries",
        purpose=purpose,
    )


def _fields_for(
    *, first_name: str, full_name: str, starts_at: dt.datetime, minutes: int, place: str, caseworker: str, purpose
) -> dict[str, str]:
    s = sender()
    with translation.override("nl"):
        doel = str(Purpose(purpose).label)
    return {
        "naam": full_name,
        "voornaam": first_name,
        "datum": _dutch_date(starts_at.date()),
        "tijd": _clock(starts_at),
        "eindtijd": _clock(starts_at + dt.timedelta(minutes=minutes)),
        "duur": f"{minutes} minuten",
        "plaats": place,
        "klantmanager": caseworker,
        "gemeente": s["gemeente"],
        "telefoon": s["telefoon"],
        "email": s["email"],
        "doel": doel,
    }


def render_text(source: str, fields: dict[str, str]) -> str:
    """A template text rendered with `fields` (plain text, not escaped). Raises TemplateSyntaxError on bad
    syntax and ValueError naming the unknown fields."""
    text = _engine().from_string(source).render(Context(fields, autoescape=False))
    unknown = sorted(set(_MISSING_RE.findall(text)))
    if unknown or "\x00" in text:
        raise ValueError(", ".join(unknown) or "?")
    return text


def body_html(text: str) -> str:
    """Plain letter text -> safe HTML: escaped, paragraphs on blank lines, '# ' headings, '- ' lists."""
    from itertools import groupby

    def kind(line: str) -> str:
        return "h" if line.startswith("# ") else "li" if line.startswith("- ") else "p"

    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        for k, group in groupby(lines, key=kind):
            group = list(group)
            if k == "h":
                out += [f"<h2>{html.escape(line[2:].strip())}</h2>" for line in group]
            elif k == "li":
                out.append("<ul>" + "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in group) + "</ul>")
            else:
                out.append("<p>" + "<br>".join(html.escape(line) for line in group) + "</p>")
    return "\n".join(out)


def check_template(*, purpose: str, subject: str, body: str) -> None:
    """ValidationError (per field) when a template text cannot be used for letters."""
    errors: dict[str, list[str]] = {}
    fields = sample_fields(purpose)
    for name, source in (("subject", subject), ("body", body)):
        if not (source or "").strip():
            errors[name] = [_("Vul dit in.")]
            continue
        try:
            render_text(source, fields)
        except TemplateSyntaxError as exc:
            errors[name] = [_("De opmaak van de tekst klopt niet: %(e)s") % {"e": exc}]
        except ValueError as exc:
            errors[name] = [
                _("Onbekend veld: %(f)s. Gebruik alleen de velden uit de lijst.") % {"f": str(exc)},
            ]
        except Exception as exc:  # noqa: BLE001 - e.g. {% include %} without loaders: refused, not a crash
            errors[name] = [_("De opmaak van de tekst klopt niet: %(e)s") % {"e": exc}]
    if purpose == Purpose.EXEMPTION_REVIEW and THREAT_WORDS.search(f"{subject}\n{body}"):
        errors.setdefault("body", []).append(
            _(
                "Een herbeoordeling van een ontheffing legt niets op: de brief mag niet dreigen met een lagere "
                "uitkering of een maatregel."
            )
        )
    if errors:
        raise ValidationError(errors)


def letter_template_publish(*, actor: User, purpose: str, subject: str, body: str) -> LetterTemplate:
    """A new version of the letter text for `purpose` (functional administrator only). Earlier versions stay, and
    so do the letters made with them; new letters use the newest version."""
    if actor is None or actor.role != Role.ADMINISTRATOR:
        raise ValidationError(_("Alleen de functioneel beheerder past brieven aan."))
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Kies een doel.")})
    subject, body = (subject or "").strip(), (body or "").strip()
    check_template(purpose=purpose, subject=subject, body=body)
    try:
        with transaction.atomic():
            last = LetterTemplate.objects.filter(purpose=purpose).aggregate(v=Max("version"))["v"] or 0
            template = LetterTemplate.objects.create(
                purpose=purpose, version=last + 1, subject=subject, body=body, created_by=actor
            )
            audit(actor=actor, action="letter_template_publish", instance=template, client_id=None)
    except IntegrityError as exc:  # two administrators at once: one of them tries again
        raise ValidationError(_("Er is net een andere versie opgeslagen. Probeer het opnieuw.")) from exc
    return template


def latest_template(purpose: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(purpose=purpose).order_by("-version").first()


# --------------------------------------------------------------------------------------------------
# PDF


LETTER_CSS = """
@page { size: A4; margin: 15mm 20mm 16mm 22mm;
        @bottom-right { content: "pagina " counter(page) " van " counter(pages); font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt; line-height: 1.3; color: #111; }
.sender { text-align: right; font-size: 8.5pt; line-height: 1.3; color: #333; margin-bottom: 6mm; }
.sender strong { font-size: 11pt; color: #111; }
.address { min-height: 18mm; margin-bottom: 4mm; }
.meta { margin-bottom: 4mm; font-size: 9pt; }
h1 { font-size: 12.5pt; margin: 0 0 3mm 0; }
h2 { font-size: 10.5pt; margin: 3mm 0 1mm 0; }
p { margin: 0 0 2mm 0; }
ul { margin: 0 0 2mm 0; padding-left: 6mm; }
.when { border: 1.2pt solid #111; padding: 1mm 4mm 2mm 4mm; margin: 3mm 0 2mm 0; }
.when p { margin: 0; }
.closing { margin-top: 3mm; }
.small { font-size: 7.5pt; color: #555; margin-top: 3mm; }
"""


@cache
def _pdf_tools():
    """WeasyPrint's font configuration and the letter's style sheet, made once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(string=LETTER_CSS, font_config=fonts, url_fetcher=_no_fetch)
    return fonts, css


def _no_fetch(url: str, *args, **kwargs):
    """Letters load nothing from outside (no network at run time, nothing a template could point at)."""
    raise ValueError(f"letters load no resources ({url[:40]})")


def pdf_from_html(page: str) -> bytes:
    """A letter page (HTML) as PDF bytes with the house letter style; nothing is loaded from outside. Also used by
    the decision letters of sanctions."""
    from weasyprint import HTML

    fonts, css = _pdf_tools()
    return HTML(string=page, url_fetcher=_no_fetch).write_pdf(stylesheets=[css], font_config=fonts)


def dutch_date(day: dt.date) -> str:
    return _dutch_date(day)


def render_pdf(*, template: LetterTemplate, appointment: Appointment, client, caseworker: User, on: dt.date) -> bytes:
    """One letter as PDF bytes."""
    from weasyprint import HTML

    starts = timezone.localtime(appointment.starts_at)
    fields = _fields_for(
        first_name=client.first_name,
        full_name=client.full_name,
        starts_at=starts,
        minutes=appointment.minutes,
        place=appointment.place,
        caseworker=caseworker.get_full_name() or caseworker.get_username(),
        purpose=template.purpose,
    )
    with translation.override("nl"):
        page = render_to_string(
            "outreach/letter.html",
            {
                "subject": render_text(template.subject, fields).strip(),
                "body": mark_safe(body_html(render_text(template.body, fields))),  # noqa: S308 - escaped in body_html
                "f": fields,
                "sender": sender(),
                "client": client,
                "letter_date": _dutch_date(on),
                "obligation": consequence_applies(
                    template.purpose, tegenprestatie_policy=rules_on(on)["tegenprestatie_policy"]
                ),
                "template": template,
            },
        )
        fonts, css = _pdf_tools()
        return HTML(string=page, url_fetcher=_no_fetch).write_pdf(stylesheets=[css], font_config=fonts)


# --------------------------------------------------------------------------------------------------
# Generating the letters of a cohort


@dataclass
class LetterRun:
    made: int = 0
    withdrawn: int = 0  # the rule no longer allowed the invitation: no letter, the caseworker was told
    remaining: int = 0  # still to do after this run (a limit was reached)


def _pending(cohort: Cohort):
    """Invitations of the cohort that still need a letter: planned, with an open talk, without a letter."""
    open_talk = Appointment.objects.filter(invitation_id=OuterRef("pk"), outcome=Outcome.OPEN)
    return (
        cohort.invitations.filter(status=InvitationStatus.PLANNED)
        .filter(Exists(open_talk))
        .filter(letter__isnull=True)
        .order_by("position", "round", "pk")
    )


def letters_generate(*, actor: User, cohort: Cohort, on: dt.date, limit: int | None = None) -> LetterRun:
    """Make the letters of a cohort's invitations that have an open appointment and no letter yet, with the newest
    template of the campaign's purpose; the invitation becomes "invited".

    Before each letter the outreach rule is applied again (services.invitation_recheck): an invitation whose
    client may no longer be invited (e.g. exempted after planning) is withdrawn and gets no letter.
    Idempotent and resumable: letters are committed per BATCH, each batch in its own transaction with one audit
    record; a second run (or one interrupted) only makes the letters that are missing, and two runs at once never
    make two letters for one invitation (Letter.invitation is unique: the loser's letter is dropped).
    `limit` stops after that many letters (a web request); `remaining` says how many are still to do."""
    services._check_organiser(actor)
    cohort = Cohort.objects.select_related("campaign").get(pk=cohort.pk)
    template = latest_template(cohort.campaign.purpose)
    if template is None:
        raise ValidationError(_("Er is nog geen brieftekst voor dit doel. Vraag de functioneel beheerder."))
    run = LetterRun()
    seen: set[int] = set()
    while limit is None or run.made < limit:
        size = BATCH if limit is None else min(BATCH, limit - run.made)
        batch = list(
            _pending(cohort)
            .exclude(pk__in=seen)
            .select_related("client", "campaign")
            .prefetch_related(
                Prefetch(
                    "appointments",
                    queryset=Appointment.objects.filter(outcome=Outcome.OPEN)
                    .select_related("caseworker")
                    .order_by("-starts_at", "-pk"),
                    to_attr="open_talks",
                )
            )[:size]
        )
        if not batch:
            break
        seen.update(i.pk for i in batch)
        rendered: list[Letter] = []
        for invitation in batch:
            if services.invitation_recheck(actor=actor, invitation=invitation, on=on):
                run.withdrawn += 1
                continue
            talk = invitation.open_talks[0]
            pdf = render_pdf(
                template=template, appointment=talk, client=invitation.client, caseworker=talk.caseworker, on=on
            )
            rendered.append(
                Letter(
                    invitation=invitation, client_id=invitation.client_id, appointment=talk, template=template, pdf=pdf
                )
            )
        run.made += _store(actor, cohort, template, rendered)
    if limit is not None:
        run.remaining = _pending(cohort).count()
    return run


def _store(actor: User, cohort: Cohort, template: LetterTemplate, letters: list[Letter]) -> int:
    """One batch in one transaction: the letters of invitations still planned (locked), the invitations set to
    "invited", one audit record. A letter another run made meanwhile wins; ours is dropped."""
    if not letters:
        return 0
    with transaction.atomic():
        still = set(
            Invitation.objects.select_for_update()
            .filter(pk__in=[x.invitation_id for x in letters], status=InvitationStatus.PLANNED)
            .values_list("pk", flat=True)
        )
        made = []
        for letter in letters:
            if letter.invitation_id not in still:
                continue
            try:
                with transaction.atomic():  # a savepoint: the unique invitation decides a race
                    letter.save(force_insert=True)
            except IntegrityError:
                continue
            made.append(letter.invitation_id)
        Invitation.objects.filter(pk__in=made).update(status=InvitationStatus.INVITED)
        audit_bulk(
            actor=actor,
            action="letter_generate",
            model=Letter,
            count=len(made),
            detail={"cohort": cohort.pk, "template": [template.purpose, template.version]},
        )
    return len(made)


# --------------------------------------------------------------------------------------------------
# Reading


def cohort_letters(cohort: Cohort):
    """The cohort's letters in the order of the campaign (for printing)."""
    return Letter.objects.filter(invitation__cohort=cohort).order_by("invitation__position", "invitation__round", "pk")


def combined_pdf(pdfs) -> bytes:
    """The letters as one PDF for printing, each letter padded to an even number of pages, so that printing on
    both sides never puts two clients' letters on one sheet."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        reader = PdfReader(io.BytesIO(bytes(data)))
        for page in reader.pages:
            writer.add_page(page)
        if len(reader.pages) % 2:
            box = reader.pages[-1].mediabox
            writer.add_blank_page(width=box.width, height=box.height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
