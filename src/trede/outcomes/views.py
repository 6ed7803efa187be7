from django.shortcuts import render
from django.utils import timezone

from trede.core.privacy import SMALL_GROUP
from trede.core.roles import Role
from trede.intake.models import Route
from trede.outcomes.selectors import ROUTES, caseload_overview, route_overview
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
