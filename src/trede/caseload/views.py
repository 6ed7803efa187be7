from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trede.activation import selectors as activation_selectors
from trede.caseload import selectors
from trede.caseload.forms import (
    ActionItemForm,
    CaseloadFilterForm,
    ClientRegisterForm,
    ContactForm,
    ReassignForm,
    StaffForm,
)
from trede.caseload.models import ActionItem
from trede.caseload.services import (
    action_item_add,
    action_item_complete,
    assignment_assign,
    client_register_into_caseload,
    contact_record,
    staff_register,
)
from trede.clients.models import Client
from trede.clients.selectors import client_search
from trede.core.models import User
from trede.core.roles import Role
from trede.core.rules import Access
from trede.core.selectors import rules_on
from trede.core.services import user_set_active
from trede.employers import selectors as employer_selectors
from trede.sanctions import selectors as sanction_selectors
from trede.web.forms import dossier_form_page, submitted
from trede.web.permissions import dossier_view, role_required

PAGE_SIZE = 50
SEARCH_KEY = "caseload_search"


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@role_required(Role.CASEWORKER, Role.TEAM_LEAD)
def caseload(request):
    """Mijn caseload (caseworker) or the team's caseload (team lead): sortable, filterable, paginated.

    The search term (a name or a BSN) is POSTed and kept in the session, so that a BSN never appears in a URL,
    a browser history or a server's access log.
    """
    if request.method == "POST":
        request.session[SEARCH_KEY] = (request.POST.get("zoek") or "").strip()[:100]
        return redirect(f"{request.path}?{_query_without(request, 'pagina')}")
    today = timezone.localdate()
    rules = rules_on(today)
    is_lead = request.user.role == Role.TEAM_LEAD
    team_id = selectors.team_of(request.user)
    caseworkers = list(selectors.team_caseworkers(team_id)) if is_lead and team_id else None
    form = CaseloadFilterForm(request.GET or None, caseworkers=caseworkers)
    filters = form.cleaned_data if form.is_valid() else {}
    base = selectors.clients_in_reach(request.user, caseworker_id=filters.get("klantmanager") if is_lead else None)
    search = request.session.get(SEARCH_KEY, "")
    base = client_search(base, search)
    sort = request.GET.get("sorteer", "naam")
    descending = request.GET.get("richting") == "af"
    qs = selectors.caseload(
        base,
        today=today,
        contact_norm_days=rules["contact_norm_days"],
        due_horizon_days=rules["due_horizon_days"],
        district=filters.get("wijk") or "",
        step=filters.get("trede"),
        exemption=filters.get("ontheffing") or "",
        overdue=bool(filters.get("achterstand")),
        sort=sort,
        descending=descending,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    sort_links = {}
    for key in selectors.CASELOAD_SORTS:
        params = request.GET.copy()
        params.pop("pagina", None)
        params["sorteer"] = key
        params["richting"] = "af" if (key == sort and not descending) else "op"
        sort_links[key] = {
            "url": "?" + params.urlencode(),
            "active": key == sort,
            "direction": ("descending" if descending else "ascending") if key == sort else "none",
            "arrow": ("▼" if descending else "▲") if key == sort else "",
        }
    context = {
        "form": form,
        "search": search,
        "page": page,
        "query": _query_without(request, "pagina"),
        "sort_links": sort_links,
        "today": today,
        "is_lead": is_lead,
        "contact_norm_days": rules["contact_norm_days"],
    }
    template = "caseload/_caseload_table.html" if request.headers.get("HX-Request") else "caseload/caseload.html"
    return render(request, template, context)


@role_required(Role.CASEWORKER, Role.TEAM_LEAD)
def due(request):
    """Te doen: exemptions to review or ending, overdue actions, clients without contact beyond the norm, plan
    reviews, follow-up contacts with active clients, and clients who stopped an activity without a next step."""
    today = timezone.localdate()
    rules = rules_on(today)
    horizon = rules["due_horizon_days"]
    reach = selectors.clients_in_reach(request.user)
    sections = []
    for key, title, qs in (
        (
            "ontheffingen",
            _("Ontheffingen: herbeoordeling of einddatum binnen %(days)d dagen of verstreken") % {"days": horizon},
            selectors.due_exemptions(reach, today=today, horizon_days=horizon),
        ),
        ("acties", _("Acties over de uiterste datum"), selectors.overdue_actions(reach, today=today)),
        (
            "contact",
            _("Langer dan %(days)d dagen geen contact") % {"days": rules["contact_norm_days"]},
            selectors.contact_overdue_clients(reach, today=today, contact_norm_days=rules["contact_norm_days"]),
        ),
        (
            "herbeoordeling",
            _("Herbeoordeling van het plan binnen %(days)d dagen of verstreken") % {"days": horizon},
            selectors.reviews_due(reach, today=today, horizon_days=horizon),
        ),
        (
            "vervolg",
            _("Vervolgcontact met wie actief is: binnen %(days)d dagen of verstreken") % {"days": horizon},
            activation_selectors.follow_ups_due(reach, today=today, horizon_days=horizon),
        ),
        (
            "gestopt",
            _("Gestopt met een activiteit zonder volgende stap"),
            activation_selectors.stopped_without_next_step(reach),
        ),
        (
            "nazorg",
            _("Nazorg na uitstroom naar werk: binnen %(days)d dagen of verstreken") % {"days": horizon},
            employer_selectors.follow_ups_due(reach, today=today, horizon_days=horizon),
        ),
        (
            "horen",
            _("Maatregelen: termijn voor de zienswijze verstreken, horen nog niet vastgelegd"),
            sanction_selectors.hearings_due(reach, today=today),
        ),
        (
            "bezwaar",
            _("Bezwaar: beslissen binnen %(days)d dagen of verstreken") % {"days": horizon},
            sanction_selectors.objections_due(reach, today=today, horizon_days=horizon),
        ),
        (
            "heroverwegen",
            _("Maatregel heroverwegen (binnen 3 maanden)"),
            sanction_selectors.reconsiderations_due(
                reach, today=today, horizon_days=horizon, months=rules["sanction_reconsider_months"]
            ),
        ),
        (
            "plaatsingen",
            _("Plaatsingen: proefplaatsing loopt af, loonwaarde opnieuw vaststellen of opleiding niet begonnen"),
            employer_selectors.placements_needing_attention(reach, today=today, horizon_days=horizon),
        ),
    ):
        param = f"p_{key}"
        page = Paginator(qs, 25).get_page(request.GET.get(param))
        sections.append(
            {
                "key": key,
                "title": title,
                "page": page,
                "param": param,
                "query": _query_without(request, param),
            }
        )
    names = None
    if request.user.role == Role.TEAM_LEAD:
        names = {u.pk: str(u) for u in selectors.team_caseworkers(selectors.team_of(request.user))}
        for section in sections:
            for row in section["page"].object_list:
                row.caseworker_name = names.get(row.caseworker_id, "–")
    return render(request, "caseload/due.html", {"sections": sections, "today": today, "show_caseworker": names})


@role_required(Role.TEAM_LEAD)
def team(request):
    today = timezone.localdate()
    rules = rules_on(today)
    team_id = selectors.team_of(request.user)
    if team_id is None:
        raise PermissionDenied
    rows = selectors.team_overview(
        team_id,
        today=today,
        contact_norm_days=rules["contact_norm_days"],
        due_horizon_days=rules["due_horizon_days"],
    )
    return render(
        request,
        "caseload/team.html",
        {
            "rows": rows,
            "norm": rules["caseload_norm"],
            "team": request.user.team_membership.team,
            "total": sum(r["size"] for r in rows),
        },
    )


@role_required(Role.TEAM_LEAD)
@dossier_view(Access.WRITE)
def reassign(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    caseworkers = selectors.team_caseworkers(selectors.team_of(request.user))
    form = ReassignForm(request.POST or None, caseworkers=caseworkers, initial={"start_on": timezone.localdate()})
    if submitted(request, form, lambda data: assignment_assign(actor=request.user, client=client, **data)):
        messages.success(
            request,
            _("%(name)s is toegedeeld aan %(cw)s.") % {"name": client.full_name, "cw": form.cleaned_data["caseworker"]},
        )
        return redirect("client-dossier", client.pk)
    return dossier_form_page(
        request,
        client,
        form,
        title=_("Andere klantmanager"),
        intro=_("De cliënt gaat naar een andere klantmanager in uw team. De geschiedenis blijft bewaard."),
    )


@dossier_view(Access.WRITE)
def contact_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    form = ContactForm(request.POST or None, initial={"contact_on": timezone.localdate()})
    if submitted(request, form, lambda data: contact_record(actor=request.user, client=client, **data)):
        messages.success(request, _("Het contactmoment is vastgelegd."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(request, client, form, title=_("Contactmoment vastleggen"))


@dossier_view(Access.WRITE)
def action_create(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    form = ActionItemForm(request.POST or None)
    if submitted(request, form, lambda data: action_item_add(actor=request.user, client=client, **data)):
        messages.success(request, _("De actie staat in het plan van aanpak."))
        return redirect("client-dossier", client.pk)
    return dossier_form_page(request, client, form, title=_("Actie toevoegen aan plan van aanpak"))


@require_POST
@dossier_view(Access.WRITE)
def action_complete(request, client_id: int, item_id: int):
    item = get_object_or_404(ActionItem, pk=item_id, client_id=client_id)
    try:
        action_item_complete(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De actie is afgerond."))
    return redirect("client-dossier", client_id)


@role_required(Role.ADMINISTRATOR)
def staff(request):
    """Users and their roles and teams (functional administrator)."""
    form = StaffForm(request.POST or None)
    if submitted(request, form, lambda data: staff_register(actor=request.user, **data)):
        messages.success(request, _("Account %(name)s is aangemaakt.") % {"name": form.cleaned_data["username"]})
        return redirect("staff")
    users = User.objects.select_related("team_membership__team").order_by("-is_active", "role", "last_name")
    page = Paginator(users, 100).get_page(request.GET.get("pagina"))
    return render(request, "caseload/staff.html", {"form": form, "page": page, "query": ""})


@role_required(Role.ADMINISTRATOR)
@require_POST
def staff_active(request, user_id: int):
    user = get_object_or_404(User, pk=user_id)
    try:
        user_set_active(actor=request.user, user=user, active=request.POST.get("active") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Account %(name)s is bijgewerkt.") % {"name": user.username})
    return redirect("staff")


@role_required(Role.CASEWORKER, Role.TEAM_LEAD)
def client_register(request):
    """Register a new client: a caseworker into their own caseload, a team lead into a caseworker's of the team."""
    if request.user.role == Role.CASEWORKER:
        caseworkers = User.objects.filter(pk=request.user.pk)
    else:
        caseworkers = selectors.team_caseworkers(selectors.team_of(request.user))
    form = ClientRegisterForm(
        request.POST or None,
        caseworkers=caseworkers,
        initial={"caseworker": request.user.pk if request.user.role == Role.CASEWORKER else None},
    )
    created = {}

    def write(data):
        created["client"] = client_register_into_caseload(actor=request.user, **data)

    if submitted(request, form, write):
        messages.success(request, _("%(name)s is geregistreerd.") % {"name": created["client"].full_name})
        return redirect("client-dossier", created["client"].pk)
    return render(request, "caseload/client_register.html", {"form": form})
