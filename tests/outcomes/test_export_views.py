"""The export page: the quarterly figures in CBS's layout (table and CSV), and the research extract as one zip for a
policy analyst or administrator — never a BSN or name, refused for anyone else, nothing made on a bad key."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from trede.clients.services import benefit_period_start
from trede.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_benefit(make_client, caseworker, today):
    clients = [make_client(caseworker, surname=f"Achternaam{i}") for i in range(12)]
    for c in clients:
        benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=500))
    return clients


def test_quarterly_figures_as_a_table_and_a_csv(client, analyst, on_benefit, today):
    client.force_login(analyst)
    page = client.get(reverse("outcomes-exports")).content.decode()
    assert "Kwartaalcijfers zoals het CBS ze telt" in page and "Onderzoeksbestand maken" in page
    assert "12" in page  # the 12 running benefits in the total cell
    csv = client.get(reverse("outcomes-exports"), {"formaat": "csv"}).content.decode()
    assert csv.splitlines()[0].startswith("Perioden;Onderwerp")
    for c in on_benefit:
        assert c.bsn not in page + csv and c.surname not in page + csv


def test_the_research_extract_is_one_zip_without_identifiers(client, analyst, on_benefit, today):
    client.force_login(analyst)
    response = client.post(
        reverse("outcomes-exports"), {"sleutel": "een-geheime-sleutel-van-32-tekens", "peildatum": today.isoformat()}
    )
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert "README.md" in names and "manifest.json" in names and any(n.endswith(".parquet") for n in names)
        clients = pq.read_table(
            io.BytesIO(z.read(next(n for n in names if n.startswith("clients") and n.endswith(".parquet"))))
        )
        assert clients.num_rows == 12
        everything = b"".join(z.read(n) for n in names)
    for c in on_benefit:
        assert c.bsn.encode() not in everything and c.surname.encode() not in everything
    assert b"een-geheime-sleutel" not in everything
    assert AuditRecord.objects.filter(action="research_extract").count() == 1


def test_a_short_key_makes_nothing_and_a_team_lead_may_not_make_an_extract(
    client, analyst, team_lead, on_benefit, today
):
    client.force_login(analyst)
    response = client.post(reverse("outcomes-exports"), {"sleutel": "kort", "peildatum": today.isoformat()})
    assert response.status_code == 200 and "Onderzoeksbestand maken" in response.content.decode()
    assert not AuditRecord.objects.filter(action="research_extract").exists()
    client.force_login(team_lead)
    assert "Onderzoeksbestand maken" not in client.get(reverse("outcomes-exports")).content.decode()
    refused = client.post(
        reverse("outcomes-exports"), {"sleutel": "een-geheime-sleutel-van-32-tekens", "peildatum": today.isoformat()}
    )
    assert refused.status_code == 403 and not AuditRecord.objects.filter(action="research_extract").exists()
