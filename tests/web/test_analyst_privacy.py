"""A policy analyst never sees a name or BSN: every page in the analyst's menu, every link to a download on those
pages, and the pages one step further that the menu pages link to within the figures, are searched for every
client's BSN, first name and surname."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from trede.caseload.services import contact_record
from trede.clients.services import benefit_period_end, benefit_period_start, ladder_measure
from trede.core.roles import Role
from trede.web.context_processors import NAVIGATION

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality(make_client, caseworker, today):
    clients = [make_client(caseworker, first_name=f"Qwinta{i}", surname=f"Zorbaxter{i}") for i in range(25)]
    for i, c in enumerate(clients):
        period = benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=700))
        ladder_measure(actor=None, client=c, step=1 + i % 4, measured_on=today - dt.timedelta(days=300))
        contact_record(actor=None, client=c, contact_on=today - dt.timedelta(days=20), channel="phone", summary="x")
        if i % 3 == 0:
            benefit_period_end(actor=None, period=period, end_on=today - dt.timedelta(days=200), exit_reason="work")
    return clients


@pytest.fixture
def pilots(analyst, municipality, today):
    """A pilot drawn among the municipality's clients 400 days ago and analysed, and one running now."""
    from tests.pilots.conftest import plan
    from trede.core.rules import add_months
    from trede.pilots import services as pi

    start = today - dt.timedelta(days=400)
    done = pi.pilot_save(actor=analyst, **plan(start, name="Afgerond", analysis_date=add_months(start, 12)))
    pi.pilot_register(actor=analyst, pilot=done, today=start)
    pi.pilot_randomise(actor=analyst, pilot=done, today=start)
    pi.pilot_analyse(actor=analyst, pilot=pi.Pilot.objects.get(pk=done.pk), today=today)
    return done


def test_no_page_or_download_of_the_analyst_shows_a_name_or_bsn(client, analyst, municipality, pilots):
    client.force_login(analyst)
    secrets = [s for c in municipality for s in (c.bsn, c.first_name, c.surname)]
    seen: dict[str, str] = {}
    queue = [reverse(name) for name, _label in NAVIGATION[Role.POLICY_ANALYST]]
    while queue:
        url = queue.pop(0)
        if url in seen or len(seen) > 120:
            continue
        response = client.get(url)
        if response.status_code != 200:
            seen[url] = ""
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        seen[url] = text
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{url} shows {leaked[:3]}"
        if "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="([^"#]+)"', text):
                href = href.replace("&amp;", "&")
                if href.startswith("?"):
                    href = url.split("?")[0] + href
                if href.startswith(("/cijfers/", "/pilots/")) or "formaat=csv" in href:
                    queue.append(href)
    downloads = [u for u in seen if "formaat=csv" in u]
    assert len(seen) >= len(NAVIGATION[Role.POLICY_ANALYST]) and downloads, "the pages and their downloads were read"
    pilot_pages = [u for u in seen if u.startswith("/pilots/") and seen[u]]
    assert len(pilot_pages) >= 3, pilot_pages  # the list, the pilot and its report were read too
