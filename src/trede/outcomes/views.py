import csv
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trede.caseload.models import Team
from trede.clients.models import District, HouseholdKind
from trede.core.privacy import SMALL_GROUP
from trede.core.roles import Role
from trede.intake.models import Route
from trede.outcomes import cohorts, dashboard, exports
from trede.outcomes.selectors import ROUTES, caseload_overview, route_overview
from trede.web import charts
from trede.web.forms import DateInput
from trede.web.permissions import role_required


@role_required(Role.POLICY_ANALYST, Role.TEAM_LEAD)
def overview(request):
    today = timezone.localdate()
    rows, total = caseload_overview(today)
    route_rows, route_total = route_overview(today)
    return render(
        request,
        "outcomes/overview.html",
        {
            "rows": rows,
            "total": total,
            "today": today,
            "threshold": SMALL_GROUP,
            "steps": range(1, 7),
            "route_rows": route_rows,
            "route_total": route_total,
            "routes": [Route(r).label for r in ROUTES],
        },
    )


# --- the management dashboard (issue 8) ------------------------------------------------------------------------------


class OutcomesFilterForm(forms.Form):
    wijk = forms.ModelChoiceField(
        label=gettext_lazy("Wijk"),
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Alle wijken"),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Alle teams"),
    )
    route = forms.ChoiceField(label=gettext_lazy("Route"), required=False)
    leeftijd = forms.ChoiceField(label=gettext_lazy("Leeftijd"), required=False)
    huishouden = forms.ChoiceField(label=gettext_lazy("Huishouden"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [("", gettext_lazy("Alle routes")), *dashboard.ROUTE_CHOICES]
        self.fields["leeftijd"].choices = [("", gettext_lazy("Alle leeftijden")), *dashboard.AGE_CHOICES]
        self.fields["huishouden"].choices = [("", gettext_lazy("Alle huishoudens")), *HouseholdKind.choices]

    def selection(self) -> dashboard.Selection:
        d = self.cleaned_data if self.is_valid() else {}
        return dashboard.Selection(
            district_id=d["wijk"].pk if d.get("wijk") else None,
            team_id=d["team"].pk if d.get("team") else None,
            route=d.get("route") or None,
            age_band=d.get("leeftijd") or None,
            household=d.get("huishouden") or None,
        )


def _v(x):
    """A cell for a CSV: hidden figures as an empty cell."""
    return "" if x is None else (round(x, 2) if isinstance(x, float) else x)


def _csv(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([[_v(c) for c in row] for row in rows])
    return response


def _monthly_rows(f) -> tuple[list[str], list[list]]:
    header = [
        "month",
        "caseload",
        "inflow",
        "outflow",
        "outflow_work_pct",
        "active_n",
        "active_k",
        "active_pct",
        "exempt_k",
        "exempt_pct",
        "contacted_pct",
        "sanctions_per_1000",
        *(f"out_{r}" for r in dashboard.REASONS),
        "exits_6m_n",
        "still_off_6m_pct",
        "exits_12m_n",
        "still_off_12m_pct",
        "work_exits_6m_n",
        "work_still_off_6m_pct",
        "work_exits_12m_n",
        "work_still_off_12m_pct",
        "returned_6m_pct",
        "returned_12m_pct",
        "exits_24m_n",
        "returned_24m_pct",
    ]
    rows = [
        [
            m.end.strftime("%Y-%m"),
            m.caseload,
            m.inflow,
            m.outflow,
            m.out_work_pct.value,
            m.active.n,
            m.active.k,
            m.active.value,
            m.exempt.k,
            m.exempt.value,
            m.contacted.value,
            m.sanctions.value,
            *m.out_by_reason,
            m.still_off[6].n,
            m.still_off[6].value,
            m.still_off[12].n,
            m.still_off[12].value,
            m.still_off_work[6].n,
            m.still_off_work[6].value,
            m.still_off_work[12].n,
            m.still_off_work[12].value,
            m.returned[6].value,
            m.returned[12].value,
            m.returned[24].n,
            m.returned[24].value,
        ]
        for m in f.months
    ]
    return header, rows


def _charts(f):
    labels = [date_format(m.end, "M Y") for m in f.months]
    caseload = charts.line_chart(
        _("In de bijstand per maand"),
        _("Lijn van het aantal mensen in de bijstand op de laatste dag van elke maand. De cijfers staan in de tabel."),
        labels,
        [(str(_("In de bijstand")), [m.caseload for m in f.months], None, None)],
    )
    flows = charts.line_chart(
        _("Instroom en uitstroom per maand"),
        _("Lijnen van de instroom, de uitstroom en de uitstroom naar werk per maand. De cijfers staan in de tabel."),
        labels,
        [
            (str(_("Instroom")), [m.inflow for m in f.months], None, None),
            (str(_("Uitstroom")), [m.outflow for m in f.months], None, None),
            (
                str(_("Uitstroom naar werk")),
                [m.out_by_reason[dashboard.REASONS.index("work")] for m in f.months],
                None,
                None,
            ),
        ],
    )
    shares = charts.line_chart(
        _("Aandeel actief en aandeel met ontheffing"),
        _(
            "Lijnen van het aandeel actief en het aandeel met ontheffing van de arbeidsplicht per maand, met "
            "95%-interval. De cijfers staan in de tabel."
        ),
        labels,
        [
            (
                str(_("Actief")),
                [m.active.value for m in f.months],
                [m.active.low for m in f.months],
                [m.active.high for m in f.months],
            ),
            (
                str(_("Ontheffing")),
                [m.exempt.value for m in f.months],
                [m.exempt.low for m in f.months],
                [m.exempt.high for m in f.months],
            ),
        ],
        unit="%",
    )
    return [caseload, flows, shares]


def _matrix_view(matrix):
    highest = max([c or 0 for row in matrix.cells for c in row] or [0])
    return {
        "m": matrix,
        "rows": [
            (step, [(c, charts.heat(c, highest)) for c in row], matrix.row_totals[i])
            for i, (step, row) in enumerate(zip(range(1, 7), matrix.cells, strict=True))
        ],
    }


@role_required(Role.POLICY_ANALYST, Role.TEAM_LEAD)
def outcomes_dashboard(request):
    today = timezone.localdate()
    form = OutcomesFilterForm(request.GET or None)
    f = dashboard.figures(today, form.selection())
    table = request.GET.get("tabel")
    if request.GET.get("formaat") == "csv":
        if table in ("ladder6", "ladder12"):
            m = f.ladder[6 if table == "ladder6" else 12]
            rows = [[f"step_{i + 1}", *row, m.row_totals[i]] for i, row in enumerate(m.cells)]
            rows.append(["total", *m.column_totals, m.total])
            return _csv(f"trede-ladder-{m.months}m", ["from \\ to", *(f"step_{s}" for s in range(1, 7)), "total"], rows)
        header, rows = _monthly_rows(f)
        return _csv("trede-cijfers-per-maand", header, rows)
    return render(
        request,
        "outcomes/dashboard.html",
        {
            "form": form,
            "f": f,
            "months": f.months[::-1],
            "charts": _charts(f),
            "reasons": f.reasons,
            "ladders": [_matrix_view(f.ladder[6]), _matrix_view(f.ladder[12])],
            "query": request.GET.urlencode(),
            "threshold": SMALL_GROUP,
        },
    )


class CohortForm(OutcomesFilterForm):
    kwartaal = forms.ChoiceField(label=gettext_lazy("Kwartaal"), required=False)
    splitsen = forms.ChoiceField(
        label=gettext_lazy("Uitsplitsen naar"),
        required=False,
        choices=[("route", gettext_lazy("Route")), ("district", gettext_lazy("Wijk"))],
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kwartaal"].choices = _quarters(today or timezone.localdate())

    def quarter(self) -> tuple[int, int]:
        default = self.fields["kwartaal"].choices[3][0]  # a year ago: the curves have twelve months to show
        value = (self.cleaned_data.get("kwartaal") if self.is_valid() else None) or default
        y, q = value.split("-")
        return int(y), int(q)


@role_required(Role.POLICY_ANALYST, Role.TEAM_LEAD)
def outcomes_cohorts(request):
    today = timezone.localdate()
    form = CohortForm(request.GET or None, today=today)
    year, quarter = form.quarter()
    split = (form.cleaned_data.get("splitsen") if form.is_valid() else None) or "route"
    got = cohorts.cohort_figures(today, year, quarter, form.selection(), split)
    if request.GET.get("formaat") == "csv":
        rows = [
            [kind, c.label or "all", c.n, r.month, r.survival, r.lower, r.upper, r.at_risk]
            for kind, curves in got.items()
            for c in curves
            for r in c.rows
        ]
        return _csv(
            f"trede-cohort-{year}-k{quarter}",
            ["curve", "group", "n", "month", "share_pct", "low_pct", "high_pct", "at_risk"],
            rows,
        )
    titles = {
        "on_benefit": (
            _("Nog in de bijstand, per maand na de start"),
            _("Mensen die in dit kwartaal in de bijstand kwamen: welk deel na elke maand nog in de bijstand zit."),
        ),
        "off_benefit": (
            _("Nog niet terug in de bijstand, per maand na het vertrek"),
            _("Mensen die in dit kwartaal uit de bijstand gingen: welk deel na elke maand nog niet terug is."),
        ),
    }
    sections = []
    for kind, curves in got.items():
        shown = [c for c in curves if c.rows]
        months = max((c.rows[-1].month for c in shown), default=0)
        labels = [str(i) for i in range(months + 1)]

        def values(c, attr, months=months):
            by = {r.month: getattr(r, attr) for r in c.rows}
            return [by.get(i) for i in range(months + 1)]

        chart = charts.line_chart(
            titles[kind][0],
            titles[kind][1] + " " + _("De cijfers staan in de tabel."),
            labels,
            [
                (c.label or str(_("Iedereen")), values(c, "survival"), values(c, "lower"), values(c, "upper"))
                for c in shown
            ],
            unit="%",
            top=100,
            step=True,
        )
        sections.append(
            {
                "kind": kind,
                "title": titles[kind][0],
                "text": titles[kind][1],
                "curves": curves,
                "chart": chart,
                "months": range(months + 1),
            }
        )
    return render(
        request,
        "outcomes/cohorts.html",
        {
            "form": form,
            "year": year,
            "quarter": quarter,
            "sections": sections,
            "query": request.GET.urlencode(),
            "threshold": SMALL_GROUP,
        },
    )


# --- exports: the quarterly figures in CBS's layout and the research extract (issue 8) -----------------------------


def _quarters(today, count: int = 12) -> list[tuple[str, str]]:
    out, y, q = [], today.year, (today.month - 1) // 3 + 1
    for _i in range(count):
        q -= 1
        if q == 0:
            y, q = y - 1, 4
        out.append((f"{y}-{q}", f"{y} K{q}"))
    return out


class QuarterForm(forms.Form):
    kwartaal = forms.ChoiceField(label=gettext_lazy("Kwartaal"))

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kwartaal"].choices = _quarters(today or timezone.localdate())

    def quarter(self) -> tuple[int, int]:
        value = self.cleaned_data["kwartaal"] if self.is_valid() else self.fields["kwartaal"].choices[0][0]
        y, q = value.split("-")
        return int(y), int(q)


class ExtractForm(forms.Form):
    sleutel = forms.CharField(
        label=gettext_lazy("Geheime sleutel voor de pseudoniemen"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        min_length=exports.KEY_MIN_BYTES,
        help_text=gettext_lazy(
            "Minstens 16 tekens. Met dezelfde sleutel krijgt een cliënt in een later bestand hetzelfde pseudoniem. "
            "trede bewaart de sleutel niet: bewaar hem zelf, apart van de bestanden."
        ),
    )
    peildatum = forms.DateField(label=gettext_lazy("Peildatum"), widget=DateInput())


def _two_way(table, rows, columns):
    """A two-way view of a count table: `rows` x `columns` with their totals; other dimensions at their total."""
    return {
        "title": table.title,
        "row_label": rows.label,
        "columns": [*(label for _c, label in columns.classes), _("Totaal")],
        "rows": [
            (label, [table.get(**{rows.name: r, columns.name: c}) for c in [*columns.codes, exports.TOTAL]])
            for r, label in [*rows.classes, (exports.TOTAL, _("Totaal"))]
        ],
    }


@role_required(Role.POLICY_ANALYST, Role.ADMINISTRATOR, Role.TEAM_LEAD)
def outcomes_exports(request):
    today = timezone.localdate()
    may_extract = request.user.role in exports.RESEARCH_ROLES
    quarter_form = QuarterForm(request.GET or None, today=today)
    year, quarter = quarter_form.quarter()
    extract_form = ExtractForm(request.POST or None, initial={"peildatum": today}) if may_extract else None
    if request.method == "POST":
        if not may_extract:
            raise PermissionDenied
        if extract_form.is_valid():
            try:
                return _extract_download(request.user, extract_form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    extract_form.add_error(None, message)
    figures = exports.quarterly_figures(year, quarter)
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="trede-kwartaal-{year}-k{quarter}.csv"'
        response["Cache-Control"] = "no-store"
        exports.write_quarterly_csv(figures, response)
        return response
    A, H, D = exports.AGE, exports.HOUSEHOLD, exports.DURATION
    views = [
        _two_way(figures.running, A, D),
        _two_way(figures.running, H, D),
        _two_way(figures.inflow, A, H),
        _two_way(figures.outflow, A, D),
    ]
    return render(
        request,
        "outcomes/exports.html",
        {
            "quarter_form": quarter_form,
            "figures": figures,
            "views": views,
            "extract_form": extract_form,
            "query": request.GET.urlencode(),
            "threshold": SMALL_GROUP,
        },
    )


def _extract_download(actor, data) -> FileResponse:
    """Make the extract in a temporary folder and send it as one zip file; nothing stays on the server."""
    with tempfile.TemporaryDirectory(prefix="trede-extract-") as folder:
        out = Path(folder) / "extract"
        manifest = exports.research_extract(
            actor=actor, key=data["sleutel"].encode("utf-8"), out_dir=out, on=data["peildatum"]
        )
        archive = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes (and so removes) it
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for path in sorted(out.iterdir()):
                z.write(path, arcname=path.name)
        archive.seek(0)
    response = FileResponse(archive, as_attachment=True, filename=f"trede-onderzoek-{manifest.on:%Y-%m-%d}.zip")
    response["Cache-Control"] = "no-store"
    return response
