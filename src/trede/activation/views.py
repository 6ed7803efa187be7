"""Activation screens: the activity catalogue, referring a client from the dossier, moving a referral through its
states, participation with its follow-up and end, the provider's own view of its referrals, and the administrator's
providers. Thin: permission, then a selector or a service, then a template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.activation import rules, selectors, services
from trede.activation.forms import (
    ActivityForm,
    CatalogueFilterForm,
    FollowUpForm,
    NextStepForm,
    ParticipationEndForm,
    ParticipationForm,
    ProviderForm,
    ProviderMemberForm,
    ReferralForm,
    ReferralMoveForm,
)
from trede.activation.models import Activity, ActivityStatus, Participation, Provider, Referral, ReferralStatus
from trede.clients.models import Client
from trede.core.audit import access_log, access_log_bulk
from trede.core.models import User
from trede.core.roles import Purpose, Role
from trede.core.rules import Access
from trede.web.forms import add_service_errors, dossier_form_page, submitted
from trede.web.permissions import dossier_view, role_required

CATALOGUE_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD, Role.ADMINISTRATOR, Role.PROVIDER)
PAGE_SIZE = 25


def _own_provider(user) -> Provider | None:
    provider = services.provider_of(user)
    if user.role == Role.PROVIDER and provider is None:
        raise PermissionDenied  # a provider account not yet linked to its organisation sees nothing
    return provider


def _filtered_catalogue(request, *, offered_only: bool, provider: Provider | None, with_fit: bool = False):
    form = CatalogueFilterForm(request.GET or None, with_fit=with_fit)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.catalogue(
        district_id=getattr(data.get("wijk"), "pk", None),
        kind=data.get("soort") or "",
        text=data.get("zoek") or "",
        offered_only=offered_only,
    )
    if provider is not None:
        qs = qs.filter(provider=provider)
    return form, data, qs


# --- the catalogue ----------------------------------------------------------------------------------------------


@role_required(*CATALOGUE_ROLES)
def activities(request):
    """The activity catalogue: offered activities for caseworkers; every activity for the administrator; a
    provider's own activities for its staff."""
    provider = _own_provider(request.user)
    offered_only = request.user.role in (Role.CASEWORKER, Role.TEAM_LEAD)
    form, _data, qs = _filtered_catalogue(request, offered_only=offered_only, provider=provider)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    offers = selectors.offers_for(page.object_list, None, None)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "activation/activities.html",
        {
            "form": form,
            "page": page,
            "offers": offers,
            "query": query.urlencode(),
            "can_edit": request.user.role in (Role.ADMINISTRATOR, Role.PROVIDER),
        },
    )


def _activity_for(request, activity_id: int) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("provider", "district"), pk=activity_id)
    provider = _own_provider(request.user)
    if provider is not None and activity.provider_id != provider.pk:
        raise PermissionDenied
    if request.user.role in (Role.CASEWORKER, Role.TEAM_LEAD) and activity.status != ActivityStatus.OFFERED:
        raise Http404
    return activity


@role_required(*CATALOGUE_ROLES)
def activity_detail(request, activity_id: int):
    activity = _activity_for(request, activity_id)
    (offer,) = selectors.offers_for(selectors.with_places(Activity.objects.filter(pk=activity.pk)), None, None)
    return render(
        request,
        "activation/activity_detail.html",
        {
            "activity": activity,
            "offer": offer,
            "can_edit": request.user.role in (Role.ADMINISTRATOR, Role.PROVIDER),
        },
    )


@role_required(Role.ADMINISTRATOR, Role.PROVIDER)
def activity_edit(request, activity_id: int | None = None):
    activity = _activity_for(request, activity_id) if activity_id else None
    is_provider = request.user.role == Role.PROVIDER
    _own_provider(request.user)
    form = ActivityForm(request.POST or None, instance=activity, provider_user=is_provider)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            saved = services.activity_save(actor=request.user, activity=activity, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De activiteit is opgeslagen."))
            return redirect("activity-detail", saved.pk)
    title = _("Activiteit wijzigen") if activity else _("Nieuwe activiteit")
    return render(request, "activation/activity_form.html", {"form": form, "title": title, "activity": activity})


# --- referring a client -----------------------------------------------------------------------------------------


@dossier_view(Access.WRITE)
def referral_create(request, client_id: int):
    """Find an activity that fits the client and refer them to it. Unknown circumstances never block; a full
    activity takes the client only on the waiting list, by an explicit choice."""
    client = get_object_or_404(Client.objects.select_related("district"), pk=client_id)
    circumstances = client.circumstances.order_by("-recorded_on", "-id").first()
    get = request.GET.copy()
    if not request.GET:
        get["wijk"] = str(client.district_id)  # start in the client's own district
    request.GET = get
    filters, data, qs = _filtered_catalogue(request, offered_only=True, provider=None, with_fit=True)
    offers = selectors.offers_for(qs[:200], client, circumstances)
    if data.get("passend"):
        offers = [o for o in offers if o.fit.fits]
    form = ReferralForm(
        request.POST or None,
        initial={"on": timezone.localdate()},
        activities=Activity.objects.filter(status=ActivityStatus.OFFERED),
    )
    if submitted(request, form, lambda d: services.referral_propose(actor=request.user, client=client, **d)):
        messages.success(request, _("De verwijzing is vastgelegd."))
        return redirect("client-dossier", client.pk)
    return render(
        request,
        "activation/referral_create.html",
        {
            "client": client,
            "filters": filters,
            "offers": offers,
            "form": form,
            "chosen": str(form["activity"].value() or ""),
            "circumstances": circumstances,
        },
    )


def _allowed_moves(referral: Referral, *, by_provider: bool) -> list[str]:
    allowed = rules.TRANSITIONS[referral.status]
    if by_provider:
        allowed = allowed & rules.PROVIDER_MAY
    order = ["proposed", "accepted", "started", "active", "ended", "declined", "withdrawn"]
    return [s for s in order if s in allowed]


def _after_move(request, referral: Referral, client_id: int):
    if referral.status == "ended":
        messages.info(request, _("De activiteit is beëindigd. Meet nu de participatieladder opnieuw."))
        return redirect("ladder-create", client_id)
    return redirect("client-dossier", client_id)


@dossier_view(Access.WRITE)
def referral_move(request, client_id: int, referral_id: int):
    referral = get_object_or_404(
        Referral.objects.select_related("activity__provider", "client").prefetch_related("events__by"),
        pk=referral_id,
        client_id=client_id,
    )
    allowed = _allowed_moves(referral, by_provider=False)
    form = ReferralMoveForm(request.POST or None, allowed=allowed, initial={"on": timezone.localdate()})
    if submitted(request, form, lambda d: services.referral_move(actor=request.user, referral=referral, **d)):
        messages.success(request, _("De verwijzing is bijgewerkt."))
        referral.refresh_from_db()
        return _after_move(request, referral, client_id)
    return render(
        request,
        "activation/referral_move.html",
        {"client": referral.client, "referral": referral, "form": form, "allowed": allowed},
    )


# --- participation ----------------------------------------------------------------------------------------------


@dossier_view(Access.WRITE)
def participation_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    form = ParticipationForm(request.POST or None, initial={"start_on": timezone.localdate()})
    if submitted(request, form, lambda d: services.participation_record(actor=request.user, client=client, **d)):
        messages.success(request, _("De deelname is vastgelegd."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Deelname vastleggen"),
        intro=_(
            "Mantelzorg, vrijwilligerswerk dat de cliënt zelf heeft gevonden of een cursus: alles telt. "
            "U legt het vast op het woord van de cliënt. U vraagt geen bewijs."
        ),
    )


def _participation(client_id: int, participation_id: int) -> Participation:
    return get_object_or_404(Participation.objects.select_related("client"), pk=participation_id, client_id=client_id)


@dossier_view(Access.WRITE)
def participation_follow_up(request, client_id: int, participation_id: int):
    participation = _participation(client_id, participation_id)
    form = FollowUpForm(request.POST or None, initial={"contact_on": timezone.localdate()})
    if submitted(
        request,
        form,
        lambda d: services.participation_follow_up(actor=request.user, participation=participation, **d),
    ):
        messages.success(request, _("Het vervolgcontact is vastgelegd. Het volgende staat in de planning."))
        return redirect("client-dossier", client_id)
    return dossier_form_page(
        request,
        participation.client,
        form,
        title=_("Vervolgcontact: %(what)s") % {"what": participation.description},
    )


@dossier_view(Access.WRITE)
def participation_end(request, client_id: int, participation_id: int):
    participation = _participation(client_id, participation_id)
    form = ParticipationEndForm(request.POST or None, initial={"end_on": timezone.localdate()})
    if submitted(
        request, form, lambda d: services.participation_end(actor=request.user, participation=participation, **d)
    ):
        messages.info(request, _("De deelname is gestopt. Meet nu de participatieladder opnieuw."))
        return redirect("ladder-create", client_id)
    return dossier_form_page(
        request,
        participation.client,
        form,
        title=_("Stoppen met %(what)s") % {"what": participation.description},
        intro=_("Spreek een volgende stap af. Daarna vraagt trede om de participatieladder opnieuw te meten."),
    )


@dossier_view(Access.WRITE)
def participation_next_step(request, client_id: int, participation_id: int):
    participation = _participation(client_id, participation_id)
    form = NextStepForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda d: services.participation_next_step(actor=request.user, participation=participation, **d),
    ):
        messages.success(request, _("De volgende stap is vastgelegd."))
        return redirect("client-dossier", client_id)
    return dossier_form_page(
        request,
        participation.client,
        form,
        title=_("Volgende stap na %(what)s") % {"what": participation.description},
    )


# --- the provider's view ----------------------------------------------------------------------------------------


@role_required(Role.PROVIDER)
def provider_referrals(request):
    """The provider's referrals: only the clients referred to its own activities, only name and contact details.
    Each client on the page is written to the access log (purpose: carrying out a referral)."""
    provider = _own_provider(request.user)
    status = request.GET.get("status", "")
    page = Paginator(selectors.provider_referrals(provider, status=status), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    access_log_bulk(
        actor=request.user,
        client_ids=[r.client_id for r in page.object_list],
        purpose=Purpose.REFERRAL,
        path=request.path,
        trace_id=getattr(request, "trace_id", ""),
    )
    return render(
        request,
        "activation/provider_referrals.html",
        {
            "provider": provider,
            "page": page,
            "status": status,
            "statuses": [(s, ReferralStatus(s).label) for s in selectors.PROVIDER_STATUS_FILTER],
        },
    )


@role_required(Role.PROVIDER)
def provider_referral(request, referral_id: int):
    provider = _own_provider(request.user)
    try:
        referral = selectors.provider_referrals(provider).get(pk=referral_id)
    except Referral.DoesNotExist:
        access_log(
            actor=request.user,
            client_id=Referral.objects.filter(pk=referral_id).values_list("client_id", flat=True).first() or 0,
            purpose=Purpose.REFERRAL,
            granted=False,
            path=request.path,
            trace_id=getattr(request, "trace_id", ""),
        )
        raise PermissionDenied from None
    access_log(
        actor=request.user,
        client_id=referral.client_id,
        purpose=Purpose.REFERRAL,
        granted=True,
        path=request.path,
        trace_id=getattr(request, "trace_id", ""),
    )
    allowed = _allowed_moves(referral, by_provider=True)
    form = ReferralMoveForm(request.POST or None, allowed=allowed, initial={"on": timezone.localdate()})
    if allowed and submitted(
        request, form, lambda d: services.referral_move(actor=request.user, referral=referral, **d)
    ):
        messages.success(request, _("Dank u wel. De klantmanager ziet de nieuwe status."))
        return redirect("provider-referrals")
    return render(
        request,
        "activation/provider_referral.html",
        {"referral": referral, "form": form, "allowed": allowed, "provider": provider},
    )


# --- providers (functional administrator) -----------------------------------------------------------------------


@role_required(Role.ADMINISTRATOR)
def providers(request):
    form = ProviderForm(request.POST or None, initial={"active": True})
    if submitted(request, form, lambda d: services.provider_save(actor=request.user, **d)):
        messages.success(request, _("De aanbieder is vastgelegd."))
        return redirect("providers")
    rows = Provider.objects.prefetch_related("members__user").order_by("name")
    return render(request, "activation/providers.html", {"form": form, "providers": rows})


@role_required(Role.ADMINISTRATOR)
def provider_edit(request, provider_id: int):
    provider = get_object_or_404(Provider, pk=provider_id)
    form = ProviderForm(request.POST or None, instance=provider, prefix="p")
    free_users = User.objects.filter(role=Role.PROVIDER, is_active=True, provider_member__isnull=True)
    member_form = ProviderMemberForm(prefix="m", users=free_users)
    if request.method == "POST" and "m-user" in request.POST:
        member_form = ProviderMemberForm(request.POST, prefix="m", users=free_users)
        if submitted(
            request,
            member_form,
            lambda d: services.provider_member_add(actor=request.user, provider=provider, user=d["user"]),
        ):
            messages.success(request, _("De medewerker werkt nu voor %(name)s.") % {"name": provider.name})
            return redirect("provider-edit", provider.pk)
        form = ProviderForm(instance=provider, prefix="p")
    elif request.method == "POST" and form.is_valid():
        try:
            services.provider_save(actor=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De aanbieder is opgeslagen."))
            return redirect("providers")
    return render(
        request,
        "activation/provider_edit.html",
        {
            "provider": provider,
            "form": form,
            "member_form": member_form,
            "members": provider.members.select_related("user"),
        },
    )
