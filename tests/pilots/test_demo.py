"""The demo's pilots: a finished one with its report and a running one, through the services, once."""

from __future__ import annotations

import datetime as dt

import pytest

from trede.core.models import AuditRecord
from trede.pilots.demo import FINISHED, RUNNING, demo_pilots
from trede.pilots.models import Pilot, Status

pytestmark = pytest.mark.django_db


def test_demo_pilots_once(make_user, population, today):
    since = today - dt.timedelta(days=3 * 365 + 500)
    population(30, since=since, birth_year=today.year - 21)  # young: the finished pilot
    population(30, since=since)
    analyst = make_user("policy_analyst", "beleid")
    assert demo_pilots(today=today) == [FINISHED, RUNNING]
    finished, running = Pilot.objects.get(name=FINISHED), Pilot.objects.get(name=RUNNING)
    assert finished.status == Status.ANALYSED and finished.report.pdf
    assert finished.safety_looks.count() == 1
    assert any("Veiligheidsmonitor geopend" in d for d in finished.report.deviations)
    assert running.status == Status.RANDOMISED and running.assignments.exists()
    assert running.analysis_date > today
    assert AuditRecord.objects.filter(action="pilot_analyse", actor=analyst).count() == 1
    assert demo_pilots(today=today) == []
    assert Pilot.objects.count() == 2
