"""The activation dashboard (policy analysts and team leads): the share of the caseload that is active month by
month, per district and per route, and how long participation lasts. Figures only, never a name or BSN; the reads
are in trede.activation.dashboard."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trede.activation import dashboard
from trede.clients.models import District
from trede.core.roles import Role
from trede.web.permissions import role_required


class DashboardFilterForm(forms.Form):
    wijk = forms.ModelChoiceField(
        label=gettext_lazy("Wijk"),
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Alle wijken"),
    )
    route = forms.ChoiceField(label=gettext_lazy("Route"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [
            ("", gettext_lazy("Alle routes")),
            *((r, dashboard.ROUTE_LABELS[r]) for r in dashboard.ROUTES),
        ]


# --- the chart: an inline SVG drawn here (no JavaScript, no library), the same figures as the table below it ---

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 14, 40


@dataclass
class Chart:
    width: int
    height: int
    left: int  # where the plot area begins and ends (x)
    right: int
    lines: list[str]  # polyline points, one per run of months that are shown
    bands: list[str]  # polygon points of the 95% interval, one per run
    dots: list[dict]
    grid: list[dict]
    ticks: list[dict]
    summary: str  # the text alternative


def _pct(x: float) -> str:
    return number_format(x, 1) + "%"


def chart(ends, cells) -> Chart:
    shown = [i for i, c in enumerate(cells) if c.shown]
    top = 10 * max(1, math.ceil(max((cells[i].high_pct for i in shown), default=10) / 10))
    top = min(top, 100)
    span = max(len(cells) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * (WIDTH - LEFT - RIGHT) / span, 1)

    def y(p: float) -> float:
        return round(TOP + (1 - p / top) * (HEIGHT - TOP - BOTTOM), 1)

    runs: list[list[int]] = []
    for i in shown:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    lines = [" ".join(f"{x(i)},{y(cells[i].share_pct)}" for i in run) for run in runs]
    bands = [
        " ".join(
            [f"{x(i)},{y(cells[i].high_pct)}" for i in run] + [f"{x(i)},{y(cells[i].low_pct)}" for i in reversed(run)]
        )
        for run in runs
    ]
    dots = [
        {
            "x": x(i),
            "y": y(cells[i].share_pct),
            "title": f"{date_format(ends[i], 'F Y')}: {_pct(cells[i].share_pct)}",
        }
        for i in shown
    ]
    grid = [{"y": y(p), "label": f"{p}%"} for p in range(0, top + 1, 10)]
    ticks = [
        {"x": x(i), "label": date_format(ends[i], "M Y")} for i in range(len(ends)) if (len(ends) - 1 - i) % 3 == 0
    ]
    if shown:
        first, last = cells[shown[0]], cells[shown[-1]]
        low = min(shown, key=lambda i: cells[i].share)
        high = max(shown, key=lambda i: cells[i].share)
        summary = _(
            "Lijn van het aandeel actief per maand. Eind %(first_month)s %(first)s, eind %(last_month)s %(last)s. "
            "Laagste %(low)s (%(low_month)s), hoogste %(high)s (%(high_month)s). Alle cijfers staan in de tabel "
            "hieronder."
        ) % {
            "first_month": date_format(ends[shown[0]], "F Y"),
            "first": _pct(first.share_pct),
            "last_month": date_format(ends[shown[-1]], "F Y"),
            "last": _pct(last.share_pct),
            "low": _pct(cells[low].share_pct),
            "low_month": date_format(ends[low], "F Y"),
            "high": _pct(cells[high].share_pct),
            "high_month": date_format(ends[high], "F Y"),
        }
    else:
        summary = _("Geen cijfers om te tonen: de groep is te klein.")
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, lines, bands, dots, grid, ticks, summary)


@dataclass
class DurationRow:
    label: str
    spells: int | None
    ended: int | None
    d: object | None  # stats.activation.Durations

    def _p(self, name: str) -> float | None:
        value = getattr(self.d, name) if self.d is not None else None
        return None if value is None else 100 * value

    @property
    def still_6(self):
        return self._p("still_6")

    @property
    def still_6_low(self):
        return self._p("still_6_low")

    @property
    def still_6_high(self):
        return self._p("still_6_high")

    @property
    def still_12(self):
        return self._p("still_12")

    @property
    def still_12_low(self):
        return self._p("still_12_low")

    @property
    def still_12_high(self):
        return self._p("still_12_high")


@role_required(Role.TEAM_LEAD, Role.POLICY_ANALYST)
def activation_dashboard(request):
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    district = data.get("wijk")
    route = data.get("route") or None
    figures = dashboard.activation_figures(today, district_id=district.pk if district else None, route=route)
    if district and route:
        scope = _("Wijk %(district)s, route %(route)s") % {
            "district": district.name,
            "route": dashboard.ROUTE_LABELS[route],
        }
    elif district:
        scope = _("Wijk %(district)s") % {"district": district.name}
    elif route:
        scope = _("Route %(route)s") % {"route": dashboard.ROUTE_LABELS[route]}
    else:
        scope = _("Hele gemeente")
    months = list(zip(figures.month_ends, figures.scope.cells, strict=True))
    return render(
        request,
        "activation/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "scope": scope,
            "months": months[::-1],  # the newest first
            "chart": chart(figures.month_ends, figures.scope.cells),
            "district_rows": _by_month(figures.month_ends, figures.districts, figures.district_total),
            "route_rows": _by_month(figures.month_ends, figures.routes, figures.route_total),
            "durations": [DurationRow(k.label, k.spells, k.ended, k.durations) for k in figures.kinds],
            "all_durations": DurationRow(
                figures.all_kinds.label, figures.all_kinds.spells, figures.all_kinds.ended, figures.all_kinds.durations
            ),
            "threshold": figures.threshold,
        },
    )


def _by_month(ends, groups, total) -> list[tuple]:
    """Rows (month-end, [cell per group], total cell), the newest month first."""
    return [(end, [g.cells[k] for g in groups], total.cells[k]) for k, end in reversed(list(enumerate(ends)))]
