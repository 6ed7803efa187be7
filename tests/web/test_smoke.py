import datetime as dt

from django.urls import reverse


def test_pages_render_for_caseworker(client, caseworker, client_of, today):
    from trede.caseload.services import action_item_add, contact_record
    from trede.clients.services import ladder_measure
    from trede.obligations.services import exemption_grant

    contact_record(actor=caseworker, client=client_of, contact_on=today, channel="phone", summary="Gebeld")
    ladder_measure(actor=caseworker, client=client_of, step=3, measured_on=today)
    action_item_add(
        actor=caseworker,
        client=client_of,
        description="CV maken",
        responsible="client",
        deadline=today + dt.timedelta(days=3),
    )
    exemption_grant(
        actor=caseworker,
        client=client_of,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today,
        review_on=today + dt.timedelta(days=10),
        reason="Mantelzorg",
    )
    client.force_login(caseworker)
    for url in (reverse("caseload"), reverse("due"), reverse("client-dossier", args=[client_of.pk])):
        r = client.get(url)
        assert r.status_code == 200, (url, r.content[:2000])
    r = client.get(reverse("client-dossier", args=[client_of.pk]))
    assert "Gebeld" in r.content.decode()
