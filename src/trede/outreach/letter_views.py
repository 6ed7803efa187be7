"""Invitation letters on screen: a cohort's letters (make them, download them for printing), one client's letter
from the dossier, and the letter templates of the functional administrator.

The batch download is ONE combined PDF, not a zip: the print room prints one file in the campaign's order, and
each letter is padded to an even number of pages, so printing on both sides never puts two clients on one sheet.
Every client in the download is written to the access log (the letters hold name, address and appointment).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trede.core.audit import access_log_bulk
from trede.core.roles import Purpose as AccessPurpose
from trede.core.roles import Role
from trede.core.rules import Access
from trede.outreach import letters
from trede.outreach.models import Appointment, Cohort, InvitationStatus, Letter, LetterTemplate, Outcome, Purpose
from trede.outreach.rules import PURPOSE_OBLIGATION
from trede.web.forms import add_service_errors
from trede.web.permissions import dossier_view, role_required

ORGANISERS = (Role.TEAM_LEAD, Role.ADMINISTRATOR)
LETTERS_PER_REQUEST = 300  # about half a minute of work; the next click goes on where this one stopped


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _cohort(campaign_id: int, number: int) -> Cohort:
    return get_object_or_404(Cohort.objects.select_related("campaign"), campaign_id=campaign_id, number=number)


@role_required(*ORGANISERS)
def cohort_letters(request, campaign_id: int, number: int):
    """How far the cohort's letters are, with the buttons to make and to download them."""
    cohort = _cohort(campaign_id, number)
    open_talk = Appointment.objects.filter(invitation_id=OuterRef("pk"), outcome=Outcome.OPEN)
    counts = cohort.invitations.annotate(o_talk=Exists(open_talk)).aggregate(
        total=Count("pk"),
        with_letter=Count("pk", filter=Q(letter__isnull=False)),
        to_do=Count("pk", filter=Q(status=InvitationStatus.PLANNED, o_talk=True, letter__isnull=True)),
        without_talk=Count("pk", filter=Q(status=InvitationStatus.PLANNED, o_talk=False)),
        withdrawn=Count("pk", filter=Q(status=InvitationStatus.WITHDRAWN)),
    )
    return render(
        request,
        "outreach/letters_cohort.html",
        {
            "cohort": cohort,
            "campaign": cohort.campaign,
            "counts": counts,
            "template": letters.latest_template(cohort.campaign.purpose),
        },
    )


@role_required(*ORGANISERS)
@require_POST
def cohort_letters_generate(request, campaign_id: int, number: int):
    cohort = _cohort(campaign_id, number)
    try:
        run = letters.letters_generate(
            actor=request.user, cohort=cohort, on=timezone.localdate(), limit=LETTERS_PER_REQUEST
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d brieven gemaakt.") % {"n": run.made})
        if run.withdrawn:
            messages.warning(
                request,
                _(
                    "%(n)d uitnodigingen zijn ingetrokken: deze cliënten mogen niet meer worden opgeroepen. "
                    "Hun klantmanager heeft een actie gekregen."
                )
                % {"n": run.withdrawn},
            )
        if run.remaining:
            messages.info(request, _("Nog %(n)d brieven te maken: klik nog een keer.") % {"n": run.remaining})
    return redirect("cohort-letters", campaign_id, number)


@role_required(*ORGANISERS)
def cohort_letters_download(request, campaign_id: int, number: int):
    """All letters of the cohort in one PDF, for printing (see the module docstring)."""
    cohort = _cohort(campaign_id, number)
    rows = list(letters.cohort_letters(cohort).values_list("client_id", "pdf"))
    if not rows:
        messages.error(request, _("Er zijn nog geen brieven voor dit cohort."))
        return redirect("cohort-letters", campaign_id, number)
    data = letters.combined_pdf(pdf for _client, pdf in rows)
    access_log_bulk(
        actor=request.user,
        client_ids=[client_id for client_id, _pdf_data in rows],
        purpose=AccessPurpose.MAILING,
        path=request.path,
        trace_id=getattr(request, "trace_id", ""),
    )
    return _pdf(data, f"brieven-oproep-{campaign_id}-cohort-{number}.pdf")


@dossier_view(Access.READ)
def client_letter(request, client_id: int, letter_id: int):
    """One client's letter, as it was sent (the stored PDF). The read is in the access log (dossier_view)."""
    letter = get_object_or_404(Letter.objects.only("pk", "pdf", "client_id"), pk=letter_id, client_id=client_id)
    return _pdf(letter.pdf, f"uitnodiging-{letter.pk}.pdf")


class LetterTemplateForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("Doel van het gesprek"), choices=Purpose.choices)
    subject = forms.CharField(label=gettext_lazy("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Tekst"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=gettext_lazy(
            "Gewone tekst. Een lege regel begint een nieuwe alinea, een regel die begint met '# ' is een kopje, "
            "regels die beginnen met '- ' worden een lijst. Velden zet u tussen dubbele accolades, zoals {{ naam }}."
        ),
    )


@role_required(Role.ADMINISTRATOR)
def letter_templates(request):
    """The letter texts per purpose with all their versions, and a form for a new version."""
    chosen = request.GET.get("doel") or request.POST.get("purpose") or Purpose.INTRODUCTION
    if chosen not in Purpose.values:
        chosen = Purpose.INTRODUCTION
    current = letters.latest_template(chosen)
    initial = {"purpose": chosen}
    if current is not None:
        initial |= {"subject": current.subject, "body": current.body}
    form = LetterTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = letters.letter_template_publish(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            saved = _("Versie %(v)d van de brief is opgeslagen. Nieuwe brieven gebruiken deze versie.")
            messages.success(request, saved % {"v": made.version})
            return redirect(f"{request.path}?doel={made.purpose}")
    versions = LetterTemplate.objects.select_related("created_by").annotate(n_letters=Count("letters"))
    per_purpose = [(value, label, [v for v in versions if v.purpose == value]) for value, label in Purpose.choices]
    return render(
        request,
        "outreach/letter_templates.html",
        {
            "form": form,
            "chosen": chosen,
            "per_purpose": per_purpose,
            "fields": letters.FIELDS.items(),
            "obligation": PURPOSE_OBLIGATION[chosen] is not None,
        },
    )
