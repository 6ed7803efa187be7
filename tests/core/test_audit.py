import datetime as dt

import pytest
from django.db import transaction

from trede.caseload.models import ContactMoment
from trede.caseload.services import contact_record
from trede.core.audit import AuditOutsideTransaction, audit
from trede.core.models import AuditRecord
from trede.obligations.services import exemption_end, exemption_grant

pytestmark = pytest.mark.django_db(transaction=True)


def test_audit_outside_a_transaction_is_refused(client_of):
    with pytest.raises(AuditOutsideTransaction):
        audit(actor=None, action="x", instance=client_of, client_id=client_of.pk)


def test_write_and_audit_roll_back_together(caseworker, client_of, today):
    before = AuditRecord.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        contact_record(actor=caseworker, client=client_of, contact_on=today, channel="phone", summary="x")
        raise RuntimeError("the surrounding work fails")
    assert ContactMoment.objects.count() == 0
    assert AuditRecord.objects.count() == before


def test_audit_keeps_who_what_and_old_and_new_values(caseworker, client_of, today):
    e = exemption_grant(
        actor=caseworker,
        client=client_of,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today,
        review_on=today + dt.timedelta(days=90),
        reason="Mantelzorg voor moeder",
    )
    exemption_end(actor=caseworker, exemption=e, ended_on=today + dt.timedelta(days=5), reason="Zorg gestopt")
    granted = AuditRecord.objects.get(action="exemption_grant")
    assert granted.actor == caseworker and granted.client_id == client_of.pk
    assert granted.changes["reason"] == [None, "Mantelzorg voor moeder"]
    ended = AuditRecord.objects.get(action="exemption_end")
    assert ended.changes["ended_on"] == [None, (today + dt.timedelta(days=5)).isoformat()]
    assert ended.changes["end_reason"] == ["", "Zorg gestopt"]
    assert set(ended.changes) == {"ended_on", "end_reason"}
