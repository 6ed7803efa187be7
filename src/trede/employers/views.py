"""Employer-services screens: employers, contact persons and vacancies for the employer adviser; open vacancies
for caseworkers; and from the dossier: referring a client to a vacancy, the referral's steps, placements, the exit to
work and its follow-ups. Thin: permission, a selector or a service, a template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trede.clients.models import Client
from trede.core.roles import Role
from trede.core.rules import Access
from trede.employers import rules, selectors, services
from trede.employers.forms import (
    ContactPersonForm,
    EmployerForm,
    ExitForm,
    FollowUpForm,
    JobReferralForm,
    JobReferralMoveForm,
    MatchForm,
    PlacementEndForm,
    PlacementExtendForm,
    PlacementForm,
    TrainingStartedForm,
    VacancyForm,
    WorkProfileForm,
)
from trede.employers.models import Employer, FollowUp, Placement, Referral, Vacancy, VacancyStatus
from trede.web.forms import add_service_errors, dossier_form_page, submitted
from trede.web.permissions import dossier_view, role_required

ADVISERS = (Role.EMPLOYER_ADVISER, Role.TEAM_LEAD)
VACANCY_READERS = (Role.EMPLOYER_ADVISER, Role.TEAM_LEAD, Role.CASEWORKER)
PAGE_SIZE = 25
BLOCK_LABELS = {
    "exempt": gettext_lazy("ontheffing van de arbeidsplicht"),
    "not_on_work_route": gettext_lazy("geen route naar werk"),
    "physical_load": gettext_lazy("te zwaar voor de gezondheid"),
    "driving_licence": gettext_lazy("geen rijbewijs"),
    "travel_time": gettext_lazy("te lange reistijd"),
    "language": gettext_lazy("harde taaleis"),
}


# --- employers --------------------------------------------------------------------------------------------------


@role_required(*ADVISERS)
def employers(request):
    mine = request.GET.get("mijn") == "1" or (request.user.role == Role.EMPLOYER_ADVISER and "mijn" not in request.GET)
    text = (request.GET.get("zoek") or "").strip()
    qs = selectors.employers(adviser_id=request.user.pk if mine else None, text=text)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "employers/employers.html", {"page": page, "mine": mine, "text": text})


@role_required(*ADVISERS)
def employer_edit(request, employer_id: int | None = None):
    employer = get_object_or_404(Employer, pk=employer_id) if employer_id else None
    initial = {} if employer else {"adviser": request.user.pk if request.user.role == Role.EMPLOYER_ADVISER else None}
    form = EmployerForm(request.POST or None, instance=employer, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.employer_save(actor=request.user, employer=employer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De werkgever is opgeslagen."))
            return redirect("employer-detail", saved.pk)
    title = _("Werkgever wijzigen") if employer else _("Nieuwe werkgever")
    return render(request, "employers/form.html", {"form": form, "title": title, "back": _back(employer)})


def _back(employer: Employer | None):
    from django.urls import reverse

    return reverse("employer-detail", args=[employer.pk]) if employer else reverse("employers")


@role_required(*ADVISERS)
def employer_detail(request, employer_id: int):
    try:
        employer = selectors.employer_detail(employer_id)
    except Employer.DoesNotExist:
        from django.http import Http404

        raise Http404 from None
    today = timezone.localdate()
    return render(
        request,
        "employers/employer_detail.html",
        {
            "employer": employer,
            "durability": selectors.durability(by="instrument", today=today, employer_id=employer.pk),
            "contact_form": ContactPersonForm(),
        },
    )


@role_required(*ADVISERS)
def contact_create(request, employer_id: int):
    employer = get_object_or_404(Employer, pk=employer_id)
    form = ContactPersonForm(request.POST or None)
    if submitted(request, form, lambda d: services.contact_person_save(actor=request.user, employer=employer, **d)):
        messages.success(request, _("De contactpersoon is opgeslagen."))
        return redirect("employer-detail", employer.pk)
    return render(
        request,
        "employers/form.html",
        {"form": form, "title": _("Contactpersoon bij %(name)s") % {"name": employer.name}, "back": _back(employer)},
    )


# --- vacancies --------------------------------------------------------------------------------------------------


@role_required(*ADVISERS)
def vacancy_edit(request, employer_id: int | None = None, vacancy_id: int | None = None):
    vacancy = get_object_or_404(Vacancy.objects.select_related("employer"), pk=vacancy_id) if vacancy_id else None
    employer = vacancy.employer if vacancy else get_object_or_404(Employer, pk=employer_id)
    form = VacancyForm(request.POST or None, instance=vacancy, employer=employer)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "publish"}
        data["status"] = (
            VacancyStatus.OPEN
            if form.cleaned_data["publish"]
            else (vacancy.status if vacancy and vacancy.status != VacancyStatus.OPEN else VacancyStatus.DRAFT)
        )
        try:
            saved = services.vacancy_save(actor=request.user, employer=employer, vacancy=vacancy, **data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "status" in exc.error_dict:
                exc.error_dict["publish"] = exc.error_dict.pop("status")
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De vacature is opgeslagen."))
            return redirect("vacancy-detail", saved.pk)
    title = _("Vacature wijzigen") if vacancy else _("Nieuwe vacature bij %(name)s") % {"name": employer.name}
    return render(request, "employers/form.html", {"form": form, "title": title, "back": _back(employer)})


@role_required(*VACANCY_READERS)
def vacancies(request):
    status = request.GET.get("status", "open") if request.user.role != Role.CASEWORKER else "open"
    text = (request.GET.get("zoek") or "").strip()
    qs = selectors.vacancies(status=status if status in VacancyStatus.values else "open", text=text)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "employers/vacancies.html",
        {"page": page, "status": status, "text": text, "statuses": VacancyStatus.choices},
    )


@role_required(*VACANCY_READERS)
def vacancy_detail(request, vacancy_id: int):
    vacancy = get_object_or_404(Vacancy.objects.select_related("employer", "contact", "district"), pk=vacancy_id)
    if request.user.role == Role.CASEWORKER and vacancy.status != VacancyStatus.OPEN:
        raise PermissionDenied
    missing = rules.vacancy_missing(
        {f: getattr(vacancy, f) for f in ("hours_per_week", "start_on", "contract_type", "contract_months", "tasks")}
        | {
            "occupation": vacancy.occupation,
            "education": vacancy.education,
            "physical_load": vacancy.physical_load,
            "location": vacancy.location,
            "wage_min": vacancy.wage_min,
            "wage_scale": vacancy.wage_scale,
            "contact": vacancy.contact_id,
        }
    )
    referrals, shortlist, ranking, caseworkers, blocked_by = [], [], None, {}, []
    if request.user.role in ADVISERS:
        referrals = list(selectors.vacancy_referrals(vacancy.pk))
        if vacancy.status == VacancyStatus.OPEN and vacancy.occupation:
            from trede.caseload.selectors import current_caseworker_id
            from trede.core.audit import access_log_bulk
            from trede.core.models import User
            from trede.core.roles import Purpose
            from trede.employers import matching

            shortlist, ranking = matching.shortlist(vacancy, timezone.localdate())
            ids = [row.id for row in shortlist]
            facts = {
                pk: (first, surname, cw)
                for pk, first, surname, cw in Client.objects.filter(pk__in=ids)
                .annotate(cw=current_caseworker_id())
                .values_list("pk", "first_name", "surname", "cw")
            }
            owner = {pk: cw for pk, (_f, _s, cw) in facts.items()}
            names = {u.pk: str(u) for u in User.objects.filter(pk__in=set(owner.values()) - {None})}
            caseworkers = {cid: names.get(cw, "–") for cid, cw in owner.items()}
            for row in shortlist:
                first, surname, _cw = facts[row.id]
                row.name = row.short_name = f"{first} {surname[:1]}."  # no more than the adviser needs
                row.caseworker = caseworkers.get(row.id, "–")
            if ranking is not None:
                blocked_by = [(BLOCK_LABELS[code], n) for code, n in ranking.blocked_by.items() if n]
            access_log_bulk(
                actor=request.user,
                client_ids=ids,
                purpose=Purpose.MATCHING,
                path=request.path,
                trace_id=getattr(request, "trace_id", ""),
            )
    return render(
        request,
        "employers/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "missing": [rules.REQUIRED[k] for k in missing],
            "referrals": referrals,
            "shortlist": shortlist,
            "ranking": ranking,
            "blocked_by": blocked_by,
            "can_edit": request.user.role in ADVISERS,
        },
    )


# --- from the dossier -------------------------------------------------------------------------------------------


@dossier_view(Access.WRITE)
def job_referral_create(request, client_id: int):
    """The open vacancies for this client, best first, each with why it fits and what blocks it (a hard constraint is
    never overridden: such a vacancy cannot be chosen). Marking a match and proposing the client happen here."""
    from trede.employers import matching

    client = get_object_or_404(Client, pk=client_id)
    today = timezone.localdate()
    rows, ranking = matching.vacancies_for(client, today)
    for row in rows:
        row.hard = [code for code in row.explanation.reasons if code != "not_on_work_route"]
    statuses = dict(client.matches.values_list("vacancy_id", "status"))
    open_vacancies = Vacancy.objects.filter(status=VacancyStatus.OPEN)
    form = JobReferralForm(request.POST or None, initial={"on": today}, vacancies=open_vacancies)
    if submitted(request, form, lambda d: services.referral_create(actor=request.user, client=client, **d)):
        messages.success(request, _("De cliënt is voorgesteld voor de vacature."))
        return redirect("client-dossier", client.pk)
    return render(
        request,
        "employers/job_referral_create.html",
        {
            "client": client,
            "rows": rows,
            "ranking": ranking,
            "statuses": statuses,
            "form": form,
            "chosen": str(form["vacancy"].value() or ""),
            "has_profile": client.work_profiles.exists(),
        },
    )


@dossier_view(Access.WRITE)
def job_referral_move(request, client_id: int, referral_id: int):
    referral = get_object_or_404(
        Referral.objects.select_related("vacancy__employer", "client").prefetch_related("events__by"),
        pk=referral_id,
        client_id=client_id,
    )
    order = ["sent", "interview", "trial_placement", "hired", "not_hired", "withdrawn"]
    allowed = [s for s in order if s in rules.TRANSITIONS[referral.status]]
    form = JobReferralMoveForm(request.POST or None, allowed=allowed, initial={"on": timezone.localdate()})
    if request.method == "POST" and request.POST.get("to") == "trial_placement":
        # a trial placement needs its agreement: the placement form moves the referral
        return redirect(f"{_url('placement-create', client_id)}?verwijzing={referral.pk}")
    if submitted(request, form, lambda d: services.referral_move(actor=request.user, referral=referral, **d)):
        messages.success(request, _("De verwijzing is bijgewerkt."))
        referral.refresh_from_db()
        if referral.status == "hired":
            messages.info(request, _("Aangenomen: registreer nu de uitstroom naar werk of een plaatsing."))
        return redirect("client-dossier", client_id)
    return render(
        request,
        "employers/job_referral_move.html",
        {"client": referral.client, "referral": referral, "form": form, "allowed": allowed},
    )


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@dossier_view(Access.WRITE)
def placement_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    referral = None
    if ref := request.GET.get("verwijzing"):
        referral = get_object_or_404(Referral.objects.select_related("vacancy__employer"), pk=ref, client_id=client_id)
    initial = {"start_on": timezone.localdate()}
    if referral is not None:
        initial |= {
            "kind": "trial",
            "employer": referral.vacancy.employer_id,
            "hours_per_week": referral.vacancy.hours_per_week,
        }
    form = PlacementForm(request.POST or None, initial=initial)

    def write(d):
        return services.placement_start(
            actor=request.user,
            client=client,
            referral=referral,
            vacancy=referral.vacancy if referral else None,
            **d,
        )

    if submitted(request, form, write):
        messages.success(request, _("De plaatsing is vastgelegd."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Plaatsing vastleggen"),
        intro=_(
            "Een proefplaatsing duurt hoogstens 2 maanden (verlengen kan met hoogstens 4) en noemt het contract "
            "daarna. Loonkostensubsidie volgt uit de loonwaarde. Een klimopbaan noemt de beloofde opleiding."
        ),
    )


@dossier_view(Access.WRITE)
def placement_detail(request, client_id: int, placement_id: int):
    placement = get_object_or_404(
        Placement.objects.select_related("employer", "client"), pk=placement_id, client_id=client_id
    )
    today = timezone.localdate()
    forms_by_action = {
        "verlengen": PlacementExtendForm,
        "opleiding": TrainingStartedForm,
        "afsluiten": PlacementEndForm,
    }
    action = request.POST.get("action") if request.method == "POST" else None
    bound = {
        name: cls(request.POST if action == name else None, prefix=name, initial={"end_on": today, "started_on": today})
        for name, cls in forms_by_action.items()
    }
    writers = {
        "verlengen": lambda d: services.placement_extend(actor=request.user, placement=placement, **d),
        "opleiding": lambda d: services.placement_training_started(actor=request.user, placement=placement, **d),
        "afsluiten": lambda d: services.placement_end(actor=request.user, placement=placement, **d),
    }
    if action in writers and submitted(request, bound[action], writers[action]):
        messages.success(request, _("De plaatsing is bijgewerkt."))
        return redirect("placement-detail", client_id, placement.pk)
    return render(
        request,
        "employers/placement_detail.html",
        {
            "client": placement.client,
            "placement": placement,
            "forms": bound,
            "training_missed": rules.training_missed(
                training_due_on=placement.training_due_on, training_started_on=placement.training_started_on, on=today
            ),
        },
    )


@dossier_view(Access.WRITE)
def exit_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    form = ExitForm(request.POST or None, initial={"exit_on": timezone.localdate()})
    if submitted(
        request,
        form,
        lambda d: services.exit_register(actor=request.user, client=client, **d),
    ):
        messages.success(request, _("De uitstroom naar werk is geregistreerd. De nazorg staat gepland."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Uitstroom naar werk registreren"),
        intro=_("De uitkering stopt op deze datum (reden: werk). trede plant nazorg na 1, 6 en 12 maanden."),
    )


@dossier_view(Access.WRITE)
def follow_up_record(request, client_id: int, follow_up_id: int):
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("exit__client"), pk=follow_up_id, exit__client_id=client_id
    )
    form = FollowUpForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if submitted(request, form, lambda d: services.follow_up_record(actor=request.user, follow_up=follow_up, **d)):
        messages.success(request, _("De nazorg is vastgelegd."))
        return redirect("client-dossier", client_id)
    return dossier_form_page(
        request,
        follow_up.exit.client,
        form,
        title=_("Nazorg na %(n)d maanden") % {"n": follow_up.months},
    )


@role_required(Role.EMPLOYER_ADVISER, Role.TEAM_LEAD, Role.POLICY_ANALYST)
def durability(request):
    """Whether placements last: per employer, instrument or route, how many exits lasted 6 and 12 months and how
    many came back on benefit (the revolving door). Small groups suppressed."""
    by = request.GET.get("per", "instrument")
    if by not in ("employer", "instrument", "route"):
        by = "instrument"
    rows = selectors.durability(by=by, today=timezone.localdate())
    return render(request, "employers/durability.html", {"rows": rows, "by": by})


@dossier_view(Access.WRITE)
def work_profile_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    current = client.work_profiles.order_by("-recorded_on", "-id").first()
    initial = {"recorded_on": timezone.localdate()}
    if current is not None:
        for i, item in enumerate(current.experience[:3], start=1):
            initial |= {f"occupation_{i}": item["code"], f"years_{i}": item["years"]}
        for i, code in enumerate(current.preferences[:3], start=1):
            initial[f"preference_{i}"] = code
        initial |= {"hours_wanted": current.hours_wanted, "driving_licence": current.driving_licence}
    form = WorkProfileForm(request.POST or None, initial=initial)
    if submitted(
        request,
        form,
        lambda d: services.work_profile_record(actor=request.user, client=client, **form.service_data()),
    ):
        messages.success(request, _("Het werkprofiel is vastgelegd."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Werkprofiel"),
        intro=_(
            "Wat heeft de cliënt gedaan en wat wil de cliënt? Beroepen kiest u uit de lijst (ISCO-08), zodat het "
            "matchen uitlegbaar is. Bespreek het profiel met de cliënt."
        ),
    )


@dossier_view(Access.WRITE)
def match_record(request, client_id: int, vacancy_id: int):
    """Record what was done with one match (discussed, proposed, declined with a reason), with the score and its
    parts as they are now."""
    from trede.employers import matching

    client = get_object_or_404(Client, pk=client_id)
    vacancy = get_object_or_404(Vacancy.objects.select_related("employer", "district"), pk=vacancy_id)
    today = timezone.localdate()
    rows, _ranking = matching.vacancies_for(client, today)
    row = next((r for r in rows if r.id == vacancy.pk), None)
    form = MatchForm(request.POST or None, initial={"on": today})
    if submitted(
        request,
        form,
        lambda d: services.match_record(
            actor=request.user,
            vacancy=vacancy,
            client=client,
            score=row.score if row else None,
            components=dict(row.explanation.components) if row else None,
            **d,
        ),
    ):
        messages.success(request, _("De match is vastgelegd."))
        return redirect("job-referral-create", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Match met %(what)s") % {"what": f"{vacancy.title} · {vacancy.employer.name}"},
        intro=" ".join(text for _code, text in row.explanation.why) if row else "",
    )


@role_required(Role.EMPLOYER_ADVISER, Role.TEAM_LEAD, Role.POLICY_ANALYST)
def matching_fairness(request):
    """Who gets onto shortlists, is proposed and is hired, per gender and age band (measured, never an input)."""
    from trede.employers import matching

    overall, rows, facts = matching.fairness(timezone.localdate())
    return render(
        request,
        "employers/fairness.html",
        {"overall": overall, "rows": rows, "facts": facts, "outcomes": ("shortlist", "proposed", "hired")},
    )
