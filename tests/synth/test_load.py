"""The generated municipality in the database: every invariant the services would enforce, checked again."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from functools import cache

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from trede.caseload.models import ActionItem, Assignment, ContactMoment, Team, TeamMember
from trede.clients.models import (
    BenefitPeriod,
    Client,
    District,
    Household,
    HouseholdMember,
)
from trede.clients.rules import postcode_problem
from trede.clients.services import client_register
from trede.core.models import AuditRecord, User
from trede.core.rules import add_months, age_on, bsn_problem
from trede.core.selectors import rules_on
from trede.obligations.models import Exemption, ExemptionReview
from trede.obligations.rules import Period, exemption_problems, periods_overlap, review_problems
from trede.synth import profile as P
from trede.synth.generator import MODELS, SYNTH_BSN_FIRST, SYNTH_BSN_LAST, Spec, is_synthetic_bsn
from trede.synth.loader import SynthError, non_synthetic_clients, synth_clear, synth_load
from trede.synth.report import caseload_per_fte, on_benefit, profile_report

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


def load(n: int = 800, seed: int = 11, clear: bool = False):
    return synth_load(Spec(clients=n, seed=seed, today=TODAY, caseload_norm=350), clear=clear, progress=False)


def test_profile_shares_at_2000_clients_are_near_the_targets():
    load(2000)
    figures = {f.name: f for f in profile_report(TODAY)}
    tolerances = {
        "women": 0.04,
        "under 27": 0.03,
        "50 and older": 0.05,
        "exempt from work obligation": 0.02,
        "outflow last year": 0.06,
        "outflow to work last year": 0.04,
        "work exits back within a year": 0.10,
        "open vacancies per 35,000 on benefit": 60,
        "working, off benefit 12 months on": 0.12,
    }
    for name, tolerance in tolerances.items():
        f = figures[name]
        assert abs(f.value - f.target) <= tolerance, (name, f.value, f.target)
    assert figures["clients on benefit"].value > 1300
    assert figures["with a route in force"].value > 0.8
    assert 0.15 < figures["on the route to work (work, youth)"].value < 0.55


def test_every_client_on_benefit_has_exactly_one_current_assignment():
    load()
    on_ids = set(on_benefit(TODAY).values_list("pk", flat=True))
    assert 400 < len(on_ids) < 800
    current = defaultdict(int)
    for client_id in Assignment.objects.filter(end_on__isnull=True).values_list("client_id", flat=True):
        current[client_id] += 1
    assert set(current) == on_ids  # and none for clients off benefit
    assert set(current.values()) == {1}
    # history: earlier assignments exist, end before the next one starts, with a caseworker of the same team
    teams = dict(TeamMember.objects.values_list("user_id", "team_id"))
    by_client = defaultdict(list)
    for a in Assignment.objects.order_by("client_id", "start_on"):
        assert teams[a.caseworker_id] == a.team_id
        by_client[a.client_id].append(a)
    assert any(len(v) > 1 for v in by_client.values())
    for rows in by_client.values():
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier.end_on is not None and earlier.end_on < later.start_on


def test_benefit_history_is_consistent():
    load()
    births = dict(Client.objects.values_list("pk", "birth_date"))
    periods = defaultdict(list)
    for p in BenefitPeriod.objects.order_by("client_id", "start_on"):
        periods[p.client_id].append(p)
    assert len(periods) == Client.objects.count()
    returns = 0
    for client_id, rows in periods.items():
        assert sum(p.end_on is None for p in rows) <= 1
        assert rows[-1].end_on is None or all(p.end_on is not None for p in rows)
        assert age_on(births[client_id], rows[0].start_on) >= 18
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier.end_on is not None and earlier.end_on < later.start_on
            assert earlier.exit_reason
            returns += earlier.end_on >= TODAY - dt.timedelta(days=730)
        if rows[-1].end_on is None:
            assert age_on(births[client_id], TODAY) < P.STATE_PENSION_AGE
        else:
            assert rows[-1].exit_reason and rows[-1].end_on < TODAY
    assert returns > 0  # the revolving door: new periods after an exit within the two years


@cache
def _grounds(day: dt.date) -> dict:
    return rules_on(day)["exemption_grounds"]


def _reviews() -> dict[int, list[ExemptionReview]]:
    """Re-examinations per exemption id, oldest first."""
    out = defaultdict(list)
    for r in ExemptionReview.objects.order_by("exemption_id", "reviewed_on", "id"):
        out[r.exemption_id].append(r)
    return out


def _review_on_at_grant(e: Exemption, reviews: dict) -> dt.date | None:
    """The review date the exemption was granted with: a re-examination takes place on the date the previous one
    set (and moves Exemption.review_on on), so the first review's date is the one set at grant."""
    return reviews[e.pk][0].reviewed_on if reviews.get(e.pk) else e.review_on


def test_every_exemption_passes_the_rules_in_the_order_it_was_granted():
    load(1500)
    households = {h.client_id: h for h in Household.objects.all()}
    children = defaultdict(list)
    for client_id, birth in HouseholdMember.objects.filter(role="child").values_list(
        "household__client_id", "birth_date"
    ):
        children[client_id].append(birth)
    exemptions = list(Exemption.objects.order_by("client_id", "start_on", "id"))
    assert len({e.ground for e in exemptions}) == 5
    reviews = _reviews()
    seen: dict[tuple, list[Period]] = defaultdict(list)
    grounds_seen: dict[tuple, int] = defaultdict(int)
    for e in exemptions:
        problems = exemption_problems(
            obligation=e.obligation,
            ground=e.ground,
            start_on=e.start_on,
            end_on=e.end_on,
            review_on=_review_on_at_grant(e, reviews),
            grounds=_grounds(e.start_on),
            single_parent=households[e.client_id].kind == "single_parent",
            child_birth_dates=children[e.client_id],
            same_ground_before=grounds_seen[(e.client_id, e.ground)],
            existing=seen[(e.client_id, e.obligation)],
        )
        assert not problems, (e.pk, e.ground, problems)
        assert e.reason and (e.ended_on is None or e.end_reason)
        assert e.start_on <= TODAY and (e.ended_on is None or e.ended_on <= TODAY)
        seen[(e.client_id, e.obligation)].append(Period(e.start_on, e.effective_end))
        grounds_seen[(e.client_id, e.ground)] += 1
    # never two exemptions from the same obligation at the same time, whatever the order
    for periods in seen.values():
        for i, a in enumerate(periods):
            for b in periods[i + 1 :]:
                assert not periods_overlap(a.start, a.end, b.start, b.end)


def test_art_9a_only_for_single_parents_with_a_child_under_5():
    load(1500)
    rows = list(Exemption.objects.filter(ground="single_parent_under_5").select_related("client__household"))
    assert rows
    reviews = _reviews()
    for e in rows:
        household = e.client.household
        assert household.kind == "single_parent"
        births = household.members.filter(role="child").values_list("birth_date", flat=True)
        young = [b for b in births if b <= e.start_on and age_on(b, e.start_on) < 5]
        assert young
        assert e.end_on is not None and e.end_on < add_months(e.start_on, 60)
        assert e.end_on < add_months(max(young), 60)  # before the youngest turns 5
        granted = _review_on_at_grant(e, reviews)
        assert granted is not None and granted <= add_months(e.start_on, 6) and granted <= e.end_on
    assert len({e.client_id for e in rows}) == len(rows)  # once


def test_art_9_lid_4_ends_before_the_youngest_child_turns_12():
    load(1500)
    rows = list(Exemption.objects.filter(ground="single_parent_no_childcare").select_related("client__household"))
    assert rows
    until_birthday = 0
    for e in rows:
        births = e.client.household.members.filter(role="child").values_list("birth_date", flat=True)
        young = [b for b in births if b <= e.start_on and age_on(b, e.start_on) < 12]
        assert young
        lapses = add_months(max(young), 144) - dt.timedelta(days=1)  # the day before the youngest turns 12
        assert e.end_on is not None and e.end_on <= lapses
        assert e.review_on is not None and e.review_on <= e.end_on
        until_birthday += e.end_on == lapses
    assert 0 < until_birthday < len(rows)  # some granted until that day, others shorter


def test_art_9a_exemptions_are_re_examined_every_six_months():
    load(2000)
    grounds = _grounds(TODAY)
    reviews = _reviews()
    assert reviews
    users = dict(User.objects.values_list("pk", "role"))
    rows = list(Exemption.objects.filter(ground="single_parent_under_5"))
    by_pk = {e.pk: e for e in rows}
    assert set(reviews) <= set(by_pk)  # only art. 9a exemptions are re-examined
    overdue = 0
    for e in rows:
        chain = reviews.get(e.pk, [])
        granted = _review_on_at_grant(e, reviews)
        scheduled = granted
        for r in chain:
            assert r.reviewed_on == scheduled  # on the date the previous review (or the grant) set
            problems = review_problems(
                start_on=e.start_on,
                effective_end=e.effective_end,
                reviewed_on=r.reviewed_on,
                next_review_on=r.next_review_on,
                today=TODAY,
                review_months=grounds[e.ground]["review_months"],
                article=grounds[e.ground]["article"],
            )
            assert not problems, (e.pk, r.pk, problems)
            assert r.note and users[r.reviewed_by_id] == "caseworker"
            scheduled = r.next_review_on
        assert e.review_on == scheduled  # the latest next_review_on
        if chain:
            assert e.review_on <= add_months(chain[-1].reviewed_on, 6)
        # every review date that has passed was held, except (for some) the latest one: overdue
        if e.review_on < TODAY:
            overdue += 1
        if add_months(e.start_on, 6) < TODAY:
            assert chain or e.review_on < TODAY
    assert sum(len(v) for v in reviews.values()) > len(reviews)  # several rounds for the longer-running ones
    assert overdue < 0.25 * len(rows)
    # the model's constraint: the next review after the review
    assert not ExemptionReview.objects.filter(next_review_on__lte=F("reviewed_on")).exists()


def test_exemption_share_and_grounds():
    load(2000)
    stock = on_benefit(TODAY)
    exempt = Exemption.objects.active_on(TODAY).filter(obligation="work_obligation", client__in=stock)
    share = exempt.count() / stock.count()
    assert abs(share - P.EXEMPTION_SHARE) < 0.015
    urgent = exempt.filter(ground="urgent_reasons").count()
    assert urgent / exempt.count() > 0.5  # mostly urgent reasons
    # leavers' exemptions ended with their benefit
    assert not Exemption.objects.active_on(TODAY).exclude(client__in=stock).exists()


def test_caseloads_are_around_the_norm():
    load(2000)
    per_fte = caseload_per_fte()
    assert len(per_fte) >= 3
    assert set(per_fte) == set(User.objects.filter(role="caseworker").values_list("pk", flat=True))
    mean = sum(per_fte.values()) / len(per_fte)
    assert abs(mean - 350) < 0.15 * 350
    assert all(0.6 * 350 < v < 1.4 * 350 for v in per_fte.values()), per_fte
    # one team lead per team; every team serves a district; every caseworker in a team
    for team in Team.objects.all():
        assert team.members.filter(user__role="team_lead").count() == 1
        assert team.districts.exists()


def test_audit_records_of_the_load():
    result = load()
    for model in MODELS:
        record = AuditRecord.objects.get(action="synth_load", model=model._meta.label)
        assert record.changes["rows"] == [None, result.counts[model._meta.label]]
        assert record.changes["seed"] == [None, 11]
        assert record.actor is None
    assert result.counts["clients.Client"] == Client.objects.count() == 800
    assert result.counts["caseload.ContactMoment"] == ContactMoment.objects.count()


def test_rows_are_valid_model_instances():
    load(400)
    for model in [m for m in MODELS if m._meta.model_name not in ("district", "team", "team_districts")]:
        for instance in model.objects.order_by("?")[:60]:
            try:
                # a route without obligations stores [] (as intake.services._take_effect does): not "blank"
                instance.full_clean(exclude=["password", "obligations"], validate_unique=False)
            except ValidationError as exc:  # pragma: no cover - the message is the point
                pytest.fail(f"{model._meta.label} #{instance.pk}: {exc.message_dict}")
    for bsn, postcode in Client.objects.values_list("bsn", "postcode"):
        assert bsn_problem(bsn) is None and postcode_problem(postcode) is None
    assert not User.objects.filter(username__startswith=P.USERNAME_PREFIX).exclude(password__startswith="!").exists()


def test_there_is_work_on_the_due_lists():
    load()
    horizon = TODAY + dt.timedelta(days=28)
    active = Exemption.objects.active_on(TODAY)
    assert active.filter(review_on__lt=TODAY).exists()  # overdue review
    assert active.filter(review_on__gte=TODAY, review_on__lte=horizon).exists()  # due within four weeks
    stock = on_benefit(TODAY)
    assert stock.filter(next_review_on__lt=TODAY).exists()
    assert ActionItem.objects.filter(done_on__isnull=True, deadline__lt=TODAY).exists()
    assert ActionItem.objects.filter(done_on__isnull=True, deadline__gte=TODAY).exists()
    assert ActionItem.objects.filter(done_on__isnull=False).exists()
    recent = ContactMoment.objects.filter(contact_on__gt=TODAY - dt.timedelta(days=90)).values("client_id")
    silent = stock.exclude(pk__in=recent).count()
    assert 0.1 < silent / stock.count() < 0.35
    assert not ContactMoment.objects.filter(contact_on__gte=TODAY).exists()  # all in the past


def _fingerprint() -> str:
    h = hashlib.sha256()
    for qs in (
        Client.objects.order_by("bsn").values_list(
            "bsn", "first_name", "surname", "birth_date", "postcode", "district__code", "next_review_on"
        ),
        BenefitPeriod.objects.order_by("client__bsn", "start_on").values_list(
            "client__bsn", "start_on", "end_on", "exit_reason"
        ),
        Exemption.objects.order_by("client__bsn", "obligation", "start_on").values_list(
            "client__bsn", "obligation", "ground", "start_on", "end_on", "review_on", "ended_on"
        ),
        Assignment.objects.order_by("client__bsn", "start_on").values_list(
            "client__bsn", "caseworker__username", "start_on", "end_on"
        ),
        ContactMoment.objects.order_by("client__bsn", "contact_on", "summary").values_list(
            "client__bsn", "contact_on", "channel", "summary"
        ),
    ):
        h.update(repr(list(qs)).encode())
    return h.hexdigest()


@pytest.fixture
def demo_env(monkeypatch, settings):
    monkeypatch.setenv("TREDE_DEMO", "1")


@pytest.fixture
def no_demo_env(monkeypatch, settings):
    monkeypatch.delenv("TREDE_DEMO", raising=False)
    settings.DEBUG = False


def test_refuses_over_existing_clients_and_clear_regenerates_the_same(demo_env):
    load(300, seed=5)
    first = _fingerprint()
    with pytest.raises(SynthError):
        load(300, seed=5)
    load(300, seed=5, clear=True)
    assert _fingerprint() == first
    assert Client.objects.count() == 300
    assert AuditRecord.objects.filter(action="synth_clear", model="clients.Client").exists()
    load(300, seed=6, clear=True)
    assert _fingerprint() != first


def test_clear_removes_generated_data_and_keeps_other_users(make_user, demo_env):
    keep = make_user("administrator", "frits")
    load(200)
    from django.db import transaction

    with transaction.atomic():
        removed = synth_clear()
    assert removed["clients.Client"] == 200
    assert not Client.objects.exists() and not Team.objects.exists() and not Assignment.objects.exists()
    assert list(User.objects.values_list("pk", flat=True)) == [keep.pk]


def test_refuses_when_districts_exist(district):
    with pytest.raises(SynthError, match="districts"):
        load(200)


def test_services_work_after_the_load():
    """Sequences were reset: new rows written by the services get fresh ids."""
    load(200)
    before = Client.objects.order_by("-pk").values_list("pk", flat=True).first()
    client = client_register(
        actor=None, bsn="111222333", district="CEN", first_name="Test", surname="Nieuw", birth_date=dt.date(1990, 1, 1)
    )
    assert client.pk > before
    assert client.household.pk > Household.objects.exclude(pk=client.household.pk).order_by("-pk")[0].pk


def _highest_ids() -> dict:
    return {model: model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0 for model in MODELS}


def test_ids_are_never_reused_after_a_clear(demo_env):
    """Audit and access logs keep client_id as a plain integer: after --clear, ids continue above the old ones."""
    load(300, seed=5)
    before = _highest_ids()
    old_clients = set(Client.objects.values_list("pk", flat=True))
    load(300, seed=5, clear=True)
    for model in MODELS:
        lowest = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
        if model is User:  # users that are not generated staff are kept; the generated ones come after them all
            lowest = model._base_manager.filter(username__startswith=P.USERNAME_PREFIX).order_by("pk")[0].pk
        if lowest is None:  # none generated at this size (e.g. an appeal among 300 clients): nothing to reuse
            continue
        assert lowest > before[model], (model._meta.label, lowest, before[model])
    assert not old_clients & set(Client.objects.values_list("pk", flat=True))
    # and the services (the id sequences) continue above the generated ids too, also after a bare clear
    highest = _highest_ids()
    from django.db import transaction

    with transaction.atomic():
        synth_clear()
    district = District.objects.create(code="CEN", name="Centrum")
    assert district.pk > highest[District]
    client = client_register(
        actor=None, bsn="111222333", district="CEN", first_name="Test", surname="Nieuw", birth_date=dt.date(1990, 1, 1)
    )
    assert client.pk > highest[Client] and client.household.pk > highest[Household]


def test_clear_is_demo_only(no_demo_env):
    from django.db import transaction

    load(200)
    with pytest.raises(SynthError, match="TREDE_DEMO=1 or TREDE_DEBUG=1"), transaction.atomic():
        synth_clear()
    with pytest.raises(SynthError, match="TREDE_DEMO"):
        load(200, clear=True)
    assert Client.objects.count() == 200
    assert not AuditRecord.objects.filter(action="synth_clear").exists()


def test_clear_refuses_when_a_client_is_not_synthetic(demo_env):
    from django.db import transaction

    load(200)
    real = client_register(
        actor=None, bsn="111222333", district="CEN", first_name="Echt", surname="Mens", birth_date=dt.date(1980, 5, 1)
    )
    assert not is_synthetic_bsn(real.bsn)
    counts = {model: model._base_manager.count() for model in MODELS}
    with pytest.raises(SynthError, match="outside the synthetic range") as info, transaction.atomic():
        synth_clear()
    assert f"client id {real.pk}" in str(info.value) and real.bsn not in str(info.value)
    with pytest.raises(SynthError, match="outside the synthetic range"):
        load(200, clear=True)
    assert Client.objects.filter(pk=real.pk).exists()
    assert {model: model._base_manager.count() for model in MODELS} == counts
    assert not AuditRecord.objects.filter(action="synth_clear").exists()


def test_synthetic_bsn_range():
    assert SYNTH_BSN_FIRST == "900000000" and is_synthetic_bsn(SYNTH_BSN_FIRST) and is_synthetic_bsn(SYNTH_BSN_LAST)
    assert not is_synthetic_bsn("111222333") and not is_synthetic_bsn("999999999") and not is_synthetic_bsn("9000001")
    assert not is_synthetic_bsn(None) and not is_synthetic_bsn("90000000x")
    load(300)
    assert all(is_synthetic_bsn(b) for b in Client.objects.values_list("bsn", flat=True))
    assert not non_synthetic_clients().exists()


def test_clear_is_audited_in_the_same_transaction_as_the_load(demo_env, monkeypatch):
    import trede.synth.loader as loader

    load(200)
    counts = {model._meta.label: model._base_manager.count() for model in MODELS}

    def broken(spec):
        raise RuntimeError("generation failed")

    population = loader.population
    monkeypatch.setattr(loader, "population", broken)
    with pytest.raises(RuntimeError, match="generation failed"):
        load(200, clear=True)
    # the clear was rolled back with the failed load, and so was its audit record
    assert {model._meta.label: model._base_manager.count() for model in MODELS} == counts
    assert not AuditRecord.objects.filter(action="synth_clear").exists()
    monkeypatch.setattr(loader, "population", population)
    load(250, clear=True)
    for label in ("clients.Client", "clients.District", "caseload.Team", "core.User", "caseload.Assignment"):
        record = AuditRecord.objects.get(action="synth_clear", model=label)
        assert record.changes["rows"] == [None, counts[label]] and record.actor is None, label
