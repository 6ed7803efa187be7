"""The matching engine (trede.stats.matching) and the ISCO-08 table (trede.stats.occupations): the shipped table,
the similarity of codes, the travel estimate, every hard filter, the score components on hand-made examples, the
rule that a blocked pair is never ranked above an unblocked one (hypothesis), determinism and ties by id, the
explanations, and the benchmark script on a small run."""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.stats import matching as mt
from trede.stats import occupations as occ

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------------------------
# Helpers


def client(**kw) -> dict:
    """A client who fits a light cleaning job at (0, 0) perfectly; keyword arguments change one fact."""
    base = {
        "id": 1,
        "experience": [("9112", 3.0)],
        "preference": ["9112"],
        "education": "low",
        "dutch": "1f",
        "health": "none",
        "hours": 24,
        "licence": True,
        "x": 0.0,
        "y": 0.0,
        "exempt": False,
        "work_route": True,
    }
    return {**base, **kw}


def vacancy(**kw) -> dict:
    base = {
        "id": 100,
        "occupation": "9112",
        "education": "low",
        "dutch": "1f",
        "dutch_hard": False,
        "load": "light",
        "hours": 24,
        "licence": False,
        "x": 0.0,
        "y": 0.0,
    }
    return {**base, **kw}


def pair(c: dict | None = None, v: dict | None = None, **kw) -> tuple[float, list[str], dict[str, float]]:
    """Score, block codes and components of one pair."""
    p = mt.score_pairs(mt.Vacancies.from_records([v or vacancy()]), mt.Clients.from_records([c or client()]), **kw)
    return (
        float(p.score[0, 0]),
        mt.block_codes(int(p.blocks[0, 0])),
        {k: float(a[0, 0]) for k, a in p.components.items()},
    )


# --------------------------------------------------------------------------------------------------
# The shipped ISCO-08 table


def test_the_table_holds_every_group_down_to_minor_and_the_unit_groups_that_matter():
    levels = [o.level for o in occ.table().values()]
    assert levels.count(1) == 10 and levels.count(2) == 43 and levels.count(3) == 130
    assert levels.count(4) >= 80
    units = {c for c in occ.table() if len(c) == 4}
    for needed in (
        "9112",
        "9333",
        "5223",
        "5230",
        "9412",
        "5120",
        "5321",
        "5311",
        "9313",
        "9329",
        "8322",
        "9214",
        "4110",
        "5414",
        "4222",
        "9621",
    ):  # cleaning, warehouse, retail, kitchen, care, childcare, ...
        assert needed in units, needed


def test_every_code_is_well_formed_with_its_parents_and_names():
    table = occ.table()
    for code, o in table.items():
        assert occ.is_well_formed(code) and o.code == code
        assert all(p in table for p in occ.parents(code)), code
        assert o.name_nl and o.name_en and o.name_nl == o.name_nl.strip()
    # the ILO's structure: each major group has its sub-major groups, each of those its minor groups
    for code in (c for c in table if len(c) < 3):
        assert occ.children(code), code
    raw = (ROOT / "src/trede/stats/data/isco08.csv").read_text(encoding="utf-8").splitlines()
    assert raw[0] == "code,name_nl,name_en,related" and len(raw) == len(table) + 1  # no duplicates dropped


def test_related_unit_groups_exist_are_symmetric_and_cross_branches():
    table = occ.table()
    linked = [(c, r) for c, o in table.items() for r in o.related]
    assert linked
    for code, other in linked:
        assert len(code) == 4 and len(other) == 4 and other != code
        assert code in table[other].related
        assert occ.shared_depth(code, other) < 3  # a link adds something only where the tree gives less
    # the CSV itself is written both ways (the loader would otherwise make it so silently)
    raw = (ROOT / "src/trede/stats/data/isco08.csv").read_text(encoding="utf-8")
    rows = {line.split(",")[0]: line.rsplit(",", 1)[1].split() for line in raw.splitlines()[1:]}
    assert all(code in rows[other] for code, others in rows.items() for other in others)


def test_lookup_api():
    assert occ.name_of("9112") == "Schoonmakers (kantoren, hotels, instellingen)"
    assert occ.name_of("9112", "en") == "Cleaners and helpers in offices, hotels and other establishments"
    assert occ.name_of("0") == "Militaire beroepen" and occ.name_of("0110").endswith("(0110)")
    assert occ.name_of("2519") == occ.name_of("251") + " (2519)"  # a unit group outside the table: its group
    assert occ.parents("9112") == ["9", "91", "911"] and occ.parents("9") == []
    assert "9112" in occ.children("911") and occ.get("9999") is None
    assert [o.code for o in occ.search("heftruck")] == ["834", "8344"]
    assert [o.code for o in occ.search("heftruck", level=4)] == ["8344"] and occ.search("  ") == []
    assert [o.code for o in occ.search("forklift")] == [] and [o.code for o in occ.search("lifting truck")] == ["8344"]
    assert ("9112", occ.name_of("9112")) in occ.choices(level=4)
    assert all(len(code) == 1 for code, _ in occ.choices(level=1, lang="en"))
    for bad in ("", "12345", "9a12", "９１", None, 9112):
        assert not occ.is_well_formed(bad)
    with pytest.raises(ValueError):
        occ.parents("91x")
    with pytest.raises(ValueError):
        occ.name_of("9112", "de")


def test_similarity_by_shared_prefix_and_related_groups():
    assert occ.similarity("9112", "9112") == 1.0
    assert occ.similarity("9112", "9111") == 0.75  # same minor group
    assert occ.similarity("9112", "9122") == 0.5  # same sub-major group
    assert occ.similarity("9112", "9333") == 0.25  # same major group
    assert occ.similarity("9112", "5223") == 0.0
    assert occ.similarity("911", "9112") == 0.75 and occ.similarity("91", "91") == 0.5  # coarse codes: their level
    assert occ.similarity("9412", "5120") == 0.5 == occ.similarity("5120", "9412")  # related across branches
    assert occ.similarity("9333", "8344") == 0.5 and occ.similarity("9333", "4321") == 0.5
    assert occ.similarity("", "9112") == 0.0 and occ.similarity(None, "9112") == 0.0


def test_encoded_arrays_agree_with_the_scalar_similarity():
    codes = ["9112", "9111", "911", "91", "9", "9412", "5120", "3434", "0110", "8344", "9333", "2519", ""]
    enc = occ.encode(np.array(codes))
    assert occ.decode(enc).tolist() == codes
    sims = occ.similarity_arrays(enc[:, None, :], enc[None, :, :])
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            assert sims[i, j] == occ.similarity(a, b), (a, b)
    # integers are four-digit unit codes; objects may hold None
    ints = np.array([9112, 110, -1])
    assert (occ.encode(ints) == occ.encode(np.array(["9112", "0110", ""]))).all()
    assert (occ.encode(np.array(["9112", None], dtype=object)) == occ.encode(np.array(["9112", ""]))).all()
    assert (occ.encode(np.array([" 911"])) == occ.encode(np.array(["911"]))).all()
    with pytest.raises(ValueError):
        occ.encode(np.array(["9x12"]))
    with pytest.raises(ValueError):
        occ.encode(np.array([12345]))


# --------------------------------------------------------------------------------------------------
# Travel


def test_travel_estimate_from_distance():
    t = mt.Travel()
    assert t.minutes_per_day(0.0) == pytest.approx(2 * t.overhead_minutes)
    # 10 km straight: 13 km on the road at 30 km/h = 26 minutes, plus 10 per trip, twice a day
    assert t.minutes_per_day(10.0) == pytest.approx(2 * (10 + 26))
    assert t.minutes_per_day(t.max_distance_km) == pytest.approx(t.max_minutes_per_day)
    assert 30 < t.max_distance_km < 32
    assert np.isnan(t.minutes_per_day(np.nan))
    car = mt.Travel(speed_kmh=60, detour=1.2, overhead_minutes=5, max_minutes_per_day=120)
    assert car.minutes_per_day(50.0) == pytest.approx(2 * (5 + 60))
    assert car.max_distance_km == pytest.approx(55 * 60 / 72)
    for bad in ({"speed_kmh": 0}, {"detour": 0.9}, {"overhead_minutes": -1}, {"max_minutes_per_day": 0}):
        with pytest.raises(ValueError):
            mt.Travel(**bad)


def test_travel_blocks_above_three_hours_a_day_and_scores_shorter_trips_higher():
    t = mt.Travel()
    edge = t.max_distance_km
    _, within, comp_within = pair(v=vacancy(x=edge - 0.01))
    _, beyond, _ = pair(v=vacancy(x=edge + 0.01))
    assert within == [] and beyond == ["travel_time"]
    assert comp_within["travel"] == pytest.approx(0.0, abs=1e-3)
    near, far = pair(v=vacancy(x=2.0))[2]["travel"], pair(v=vacancy(x=15.0))[2]["travel"]
    assert 1 > near > far > 0
    assert pair(v=vacancy(x=3.0, y=4.0))[2]["travel"] == pytest.approx(1 - t.minutes_per_day(5.0) / 180, abs=1e-6)
    # the limit is a parameter
    _, blocked, _ = pair(v=vacancy(x=20.0), travel=mt.Travel(max_minutes_per_day=90))
    assert blocked == ["travel_time"]


# --------------------------------------------------------------------------------------------------
# Hard filters


def test_a_perfect_pair_is_not_blocked_and_scores_near_one():
    score, reasons, comp = pair()
    assert reasons == []
    assert {k: v for k, v in comp.items() if k != "travel"} == dict.fromkeys(mt.COMPONENTS[:-1], 1.0)
    assert score == pytest.approx(1 - 0.15 * (1 - comp["travel"]), abs=1e-6)


def test_each_block_reason():
    assert pair(client(exempt=True))[1] == ["exempt"]
    assert pair(client(work_route=False))[1] == ["not_on_work_route"]
    assert pair(client(licence=False), vacancy(licence=True))[1] == ["driving_licence"]
    assert pair(client(licence=False), vacancy(licence=False))[1] == []
    assert pair(client(dutch="1f"), vacancy(dutch="2f", dutch_hard=True))[1] == ["language"]
    assert pair(client(dutch="2f"), vacancy(dutch="2f", dutch_hard=True))[1] == []
    assert pair(client(dutch="1f"), vacancy(dutch="2f", dutch_hard=False))[1] == []  # soft: only the score
    assert pair(v=vacancy(x=40.0))[1] == ["travel_time"]
    everything = pair(
        client(exempt=True, work_route=False, licence=False, health="severe", dutch="below_1f"),
        vacancy(licence=True, load="heavy", dutch="1f", dutch_hard=True, x=100.0),
    )[1]
    assert everything == list(mt.BLOCK_CODES.values())


@pytest.mark.parametrize(
    ("health", "allowed"),
    [("none", ["light", "medium", "heavy"]), ("some", ["light", "medium"]), ("severe", ["light"])],
)
def test_physical_load_above_what_health_allows_is_blocked(health, allowed):
    for load in mt.LOAD:
        reasons = pair(client(health=health), vacancy(load=load))[1]
        assert reasons == ([] if load in allowed else ["physical_load"]), (health, load)


def test_an_assessed_max_load_overrides_the_one_derived_from_health():
    assert pair(client(health="none", max_load="light"), vacancy(load="medium"))[1] == ["physical_load"]
    assert pair(client(health="severe", max_load="medium"), vacancy(load="medium"))[1] == []


def test_a_fact_that_is_not_known_never_blocks_and_scores_neutral():
    unknown = client(health=None, dutch=None, education=None, hours=None, x=None, y=None)
    score, reasons, comp = pair(unknown, vacancy(load="heavy", dutch="3f", dutch_hard=True, education="high"))
    assert reasons == []
    assert comp["education"] == comp["language"] == comp["hours"] == comp["travel"] == mt.NEUTRAL
    assert pair(v=vacancy(load=None))[1] == [] and pair(client(health="severe"), vacancy(load=None))[1] == []


# --------------------------------------------------------------------------------------------------
# Score components


def test_experience_is_the_best_similarity_times_the_credit_for_years():
    def experience(items, code="9112"):
        return pair(client(experience=items, preference=[]), vacancy(occupation=code))[2]["experience"]

    assert experience([("9112", 2.0)]) == 1.0 and experience([("9112", 10.0)]) == 1.0
    assert experience([("9112", 1.0)]) == 0.5
    assert experience([("9112", 0.1)]) == mt.EXPERIENCE_MIN_CREDIT  # any recorded experience counts a little
    assert experience([("9112", None)]) == mt.EXPERIENCE_MIN_CREDIT
    assert experience([("9111", 5.0)]) == 0.75  # same minor group
    assert experience([("9412", 5.0)], code="5120") == 0.5  # kitchen helper for a cook's job: related
    assert experience([("5223", 8.0), ("9112", 1.0)]) == 0.5  # the best slot counts
    assert experience([("5223", 8.0), ("9111", 4.0), ("9112", 0.5)]) == 0.75
    assert experience([]) == 0.0


def test_preference_education_language_and_hours():
    def comp(c=None, v=None):
        return pair(client(**(c or {})), vacancy(**(v or {})))[2]

    assert comp({"preference": ["9112"]})["preference"] == 1.0
    assert comp({"preference": ["5223", "9122"]})["preference"] == 0.5
    assert comp({"preference": []})["preference"] == 0.0
    for have, need, fit in [("low", "low", 1), ("high", "low", 1), ("none", "low", 0.5), ("none", "middle", 0.0)]:
        assert comp({"education": have}, {"education": need})["education"] == fit, (have, need)
    assert comp({"education": "none"}, {"education": None})["education"] == 1.0  # nothing required
    for have, need, fit in [("2f", "1f", 1), ("1f", "2f", 0.5), ("below_1f", "2f", 0.0), ("3f", "3f", 1)]:
        assert comp({"dutch": have}, {"dutch": need})["language"] == fit, (have, need)
    assert comp({"hours": 20}, {"hours": 40})["hours"] == 0.5
    assert comp({"hours": 40}, {"hours": 20})["hours"] == 0.5
    assert comp({"hours": 32}, {"hours": 36})["hours"] == pytest.approx(32 / 36)


def test_the_score_is_the_weighted_sum_of_the_components():
    c = client(experience=[("9111", 1.0)], preference=["5223"], education="none", dutch="1f", hours=20)
    v = vacancy(education="middle", dutch="2f", hours=32, x=6.0, y=8.0)
    score, _, comp = pair(c, v)
    w = mt.DEFAULT_WEIGHTS
    assert sum(w.values()) == pytest.approx(1.0)
    assert score == pytest.approx(sum(w[k] * comp[k] for k in mt.COMPONENTS), abs=1e-6)
    # other weights are normalised: only the relations count
    only = pair(c, v, weights=dict.fromkeys(mt.COMPONENTS, 0) | {"hours": 7})[0]
    assert only == pytest.approx(comp["hours"])
    assert mt.normalised_weights({"travel": 0.15}) == pytest.approx(mt.DEFAULT_WEIGHTS)
    for bad in ({"salary": 1}, {"hours": -1}, dict.fromkeys(mt.COMPONENTS, 0), {"hours": float("nan")}):
        with pytest.raises(ValueError):
            mt.normalised_weights(bad)


# --------------------------------------------------------------------------------------------------
# Ranking: the hard-constraint rule (hypothesis), determinism, ties

CODES = ["9112", "9111", "9122", "9333", "8344", "9412", "5120", "5223", "4110", "911", ""]
LEVEL = {
    "education": [None, *mt.EDUCATION],
    "dutch": [None, *mt.DUTCH],
    "health": [None, *mt.HEALTH],
}


@st.composite
def client_records(draw, n_min=1, n_max=25):
    n = draw(st.integers(n_min, n_max))
    rows = []
    for i in range(n):
        rows.append(
            {
                "id": draw(st.integers(1, 60)) * 1000 + i,  # unique, not in input order
                "experience": draw(
                    st.lists(
                        st.tuples(st.sampled_from(CODES[:-1]), st.sampled_from([None, 0.5, 1.0, 2.0, 9.0])), max_size=3
                    )
                ),
                "preference": draw(st.lists(st.sampled_from(CODES[:-1]), max_size=2)),
                **{k: draw(st.sampled_from(v)) for k, v in LEVEL.items()},
                "hours": draw(st.sampled_from([None, 12, 24, 36, 40])),
                "licence": draw(st.booleans()),
                "x": draw(st.one_of(st.none(), st.floats(-45, 45))),
                "y": draw(st.floats(-45, 45)),
                "exempt": draw(st.booleans()),
                "work_route": draw(st.booleans()),
            }
        )
    return rows


@st.composite
def vacancy_records(draw, n_min=1, n_max=6):
    n = draw(st.integers(n_min, n_max))
    return [
        {
            "id": 500 + draw(st.integers(0, 9)) * 10 + i,
            "occupation": draw(st.sampled_from(CODES)),
            "education": draw(st.sampled_from(LEVEL["education"])),
            "dutch": draw(st.sampled_from(LEVEL["dutch"])),
            "dutch_hard": draw(st.booleans()),
            "load": draw(st.sampled_from([None, *mt.LOAD])),
            "hours": draw(st.sampled_from([None, 16, 24, 40])),
            "licence": draw(st.booleans()),
            "x": draw(st.floats(-30, 30)),
            "y": draw(st.floats(-30, 30)),
        }
        for i in range(n)
    ]


def assert_ranked(r: mt.Ranking, n: int) -> None:
    """No blocked entry above an unblocked one; each part by score descending, then id ascending."""
    blocked = r.blocks != 0
    if blocked.any():
        assert blocked[np.argmax(blocked) :].all(), "an unblocked entry after a blocked one"
    for part in (~blocked, blocked):
        s, i = r.score[part], r.id[part]
        assert all((s[a] > s[a + 1]) or (s[a] == s[a + 1] and i[a] < i[a + 1]) for a in range(len(s) - 1))
    assert len(set(r.index.tolist())) == len(r) <= n


@settings(max_examples=150, deadline=None)
@given(client_records(), vacancy_records())
def test_no_blocked_client_is_ever_ranked_above_an_unblocked_one(crecs, vrecs):
    clients, vacancies = mt.Clients.from_records(crecs), mt.Vacancies.from_records(vrecs)
    pairs = mt.score_pairs(vacancies, clients)
    exempt = np.array([r["exempt"] for r in crecs])
    # an exempt client is always blocked, whatever the vacancy
    assert ((pairs.blocks & mt.Block.EXEMPT) != 0).tolist() == [exempt.tolist()] * len(vrecs)
    for i in range(len(vacancies)):
        full = mt.match_vacancy(vacancies.take([i]), clients, top=len(clients), blocked=len(clients))
        assert len(full) == len(clients)  # everyone, blocked after unblocked
        assert_ranked(full, len(clients))
        assert not (set(full.id[full.blocks == 0].tolist()) & set(clients.id[exempt].tolist()))
        # a short list holds exactly the best unblocked ones
        short = mt.match_vacancy(vacancies.take([i]), clients, top=3)
        free = np.flatnonzero(pairs.blocks[i] == 0)
        expected = sorted(free, key=lambda j: (-pairs.score[i, j], clients.id[j]))[:3]
        assert short.index.tolist() == [int(j) for j in expected]
        assert (short.blocks == 0).all() and short.eligible == len(free) and short.considered == len(clients)
    for j in range(len(clients)):
        r = mt.match_client(clients.take([j]), vacancies, top=len(vacancies), blocked=len(vacancies))
        assert_ranked(r, len(vacancies))
        assert len(r) == len(vacancies)
        if exempt[j]:
            assert (r.blocks != 0).all() and r.eligible == 0


@settings(max_examples=40, deadline=None)
@given(client_records(n_min=3), vacancy_records(n_min=2))
def test_match_all_in_any_chunk_size_equals_one_vacancy_at_a_time(crecs, vrecs):
    clients, vacancies = mt.Clients.from_records(crecs), mt.Vacancies.from_records(vrecs)
    one_by_one = [mt.match_vacancy(vacancies.take([i]), clients, top=4, blocked=2) for i in range(len(vacancies))]
    for chunk in (1, len(clients) + 1, 10**9):
        together = mt.match_all(vacancies, clients, top=4, blocked=2, chunk_pairs=chunk)
        assert len(together) == len(vacancies)
        for a, b in zip(one_by_one, together, strict=True):
            assert a.index.tolist() == b.index.tolist()
            assert a.score.tolist() == b.score.tolist() and a.blocks.tolist() == b.blocks.tolist()
            assert a.blocked_by == b.blocked_by and a.eligible == b.eligible


def test_a_blocked_client_stays_below_whatever_its_score():
    perfect_but_exempt = client(id=1, exempt=True)
    poor = client(id=2, experience=[], preference=[], education="none", dutch="below_1f", hours=8, x=25.0)
    clients = mt.Clients.from_records([perfect_but_exempt, poor])
    r = mt.match_vacancy(mt.Vacancies.from_records([vacancy(education="middle", dutch="2f")]), clients, blocked=5)
    assert r.score[1] > 2 * r.score[0]
    assert r.id.tolist() == [2, 1] and r.reasons(1) == ["exempt"] and r.reasons(0) == []
    assert mt.match_vacancy(mt.Vacancies.from_records([vacancy()]), clients).id.tolist() == [2]  # default: no blocked
    assert r.blocked_by["exempt"] == 1 and r.eligible == 1 and r.considered == 2


def test_ties_are_broken_by_id_and_the_result_is_deterministic():
    ids = [42, 7, 19, 3, 88, 11]
    rng = np.random.default_rng(0)
    clients = mt.Clients.from_records([client(id=i) for i in ids])  # identical but for the id
    v = mt.Vacancies.from_records([vacancy()])
    r = mt.match_vacancy(v, clients, top=3)
    assert r.id.tolist() == [3, 7, 11] and len(set(r.score.tolist())) == 1
    shuffled = mt.Clients.from_records([client(id=i) for i in rng.permutation(ids)])
    assert mt.match_vacancy(v, shuffled, top=3).id.tolist() == [3, 7, 11]
    vacancies = mt.Vacancies.from_records([vacancy(id=i) for i in (9, 4, 6)])
    assert mt.match_client(clients.take([0]), vacancies, top=2).id.tolist() == [4, 6]
    # the same input twice: the same list, bit for bit
    many_c = mt.Clients.from_records([client(id=i, x=i % 7, hours=8 + i % 30) for i in range(300)])
    a = mt.match_all(vacancies, many_c, top=10)
    b = mt.match_all(vacancies, many_c, top=10)
    assert all(
        x.index.tolist() == y.index.tolist() and x.score.tolist() == y.score.tolist() for x, y in zip(a, b, strict=True)
    )


def test_take_keeps_every_derived_table():
    clients = mt.Clients.from_records(
        [client(id=i, health=h, x=float(i)) for i, h in enumerate(["none", "some", "severe"])]
    )
    v = mt.Vacancies.from_records([vacancy(load="medium"), vacancy(id=101, occupation="5120", licence=True)])
    whole = mt.score_pairs(v, clients)
    part = mt.score_pairs(v.take([1]), clients.take(np.array([False, True, True])))
    assert (part.score == whole.score[1:, 1:]).all() and (part.blocks == whole.blocks[1:, 1:]).all()
    assert len(clients.take([])) == 0 and len(mt.match_vacancy(v.take([0]), clients.take([]))) == 0


def test_inputs_are_checked():
    good = mt.Clients.from_records([client()])
    columns = {f.name: getattr(good, f.name) for f in dataclasses.fields(good) if f.init}
    for name, bad in (("education", [7]), ("health", [3]), ("hours", [-1.0]), ("x", [1.0, 2.0]), ("max_load", [-1])):
        with pytest.raises(ValueError):
            mt.Clients(**{**columns, name: np.array(bad)})
    with pytest.raises(ValueError):
        mt.Clients(**{**columns, "experience_years": np.zeros((1, 2))})
    with pytest.raises(KeyError):
        mt.Clients.from_records([client(education="phd")])
    with pytest.raises(ValueError):
        mt.Vacancies.from_records([vacancy(hours=0)])
    with pytest.raises(ValueError):
        mt.Vacancies.from_records([vacancy(occupation="91120")])
    with pytest.raises(ValueError):
        mt.match_vacancy(mt.Vacancies.from_records([vacancy(), vacancy(id=2)]), good)
    with pytest.raises(ValueError):
        mt.match_client(mt.Clients.from_records([client(), client(id=2)]), mt.Vacancies.from_records([vacancy()]))


# --------------------------------------------------------------------------------------------------
# Explanations


def test_explanation_says_why_and_why_not():
    clients = mt.Clients.from_records(
        [client(id=5, experience=[("5223", 6), ("9111", 1.5)], preference=["9412"], hours=20, licence=False, x=40.0)]
    )
    vacancies = mt.Vacancies.from_records([vacancy(licence=True, hours=24)])
    e = mt.explain(vacancies, 0, clients, 0)
    assert e.blocked and e.reasons == ["driving_licence", "travel_time"]
    assert sum(e.contributions.values()) == pytest.approx(e.score, abs=1e-6)
    why = dict(e.why)
    assert (
        why["experience"] == "Heeft 1,5 jaar ervaring in vergelijkbaar werk (Huishoudelijke hulpen (bij mensen thuis))."
    )
    assert why["preference"] == "Wil liever ander werk doen (Keukenhulpen en afwassers)."
    assert why["hours"] == "Wil 20 uur per week werken; de vacature is voor 24 uur."
    assert why["education"] == "Het opleidingsniveau past bij de vacature."
    assert why["travel"].startswith("Reistijd ongeveer 230 minuten per dag") and "40 km" in why["travel"]
    why_not = dict(e.why_not)
    assert why_not["driving_licence"] == mt.TEXTS["driving_licence"]
    assert "230 minuten" in why_not["travel_time"] and "180 minuten" in why_not["travel_time"]
    assert e.unknown == []
    # the caller's translation and language
    en = mt.explain(vacancies, 0, clients, 0, lang="en", translate=lambda s: "[" + s + "]")
    assert (
        dict(en.why)["experience"].startswith("[Heeft 1.5 jaar")
        and "(Domestic cleaners and helpers)" in dict(en.why)["experience"]
    )
    assert all(text.startswith("[") for _, text in en.why + en.why_not)


def test_explanation_lists_what_is_not_known():
    clients = mt.Clients.from_records([client(health=None, education=None, dutch=None, hours=None, x=None)])
    e = mt.explain(mt.Vacancies.from_records([vacancy(load=None, occupation="")]), 0, clients, 0)
    assert [code for code, _ in e.unknown] == [
        "occupation_unknown",
        "education_unknown",
        "language_unknown",
        "hours_unknown",
        "travel_unknown",
        "health_unknown",
        "load_unknown",
    ]
    assert not e.blocked and e.components["experience"] == e.components["preference"] == mt.NEUTRAL


def test_every_text_has_a_code_and_every_block_reason_a_text():
    assert set(mt.BLOCK_CODES.values()) <= set(mt.TEXTS) and set(mt.COMPONENT_LABELS) == set(mt.COMPONENTS)
    assert mt.block_codes(0) == [] and mt.block_codes(int(mt.Block.EXEMPT | mt.Block.LANGUAGE)) == [
        "exempt",
        "language",
    ]
    source = (ROOT / "src/trede/stats/matching.py").read_text(encoding="utf-8")
    for text in mt.TEXTS.values():  # each text is marked where it is written, so makemessages finds it
        assert text.split("%")[0][:30] in source


def test_stats_imports_no_django():
    code = (
        "import sys, trede.stats.matching, trede.stats.occupations; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------------------------------
# The benchmark script


def test_the_benchmark_runs_on_a_small_population(capsys):
    spec = importlib.util.spec_from_file_location("trede_bench_matching", ROOT / "bench" / "matching.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    try:
        spec.loader.exec_module(bench)
        result = bench.run(national=3000, city=600, vacancies=40, repeat=1, seed=1)
        bench.print_report(result)
    finally:
        sys.modules.pop(spec.name, None)
    assert [t.name.split(" x ")[0] for t in result.timings[:2]] == ["one vacancy", "40 vacancies"]
    assert all(t.runs and t.median > 0 for t in result.timings)
    assert result.timings[0].verdict == "" and "at full size" in result.timings[0].budget_text  # not the full size
    assert result.city_figures["pairs"] == 40 * 600 and result.peak_mb > 0
    assert "one vacancy x 3,000 clients" in capsys.readouterr().out


def test_selection_rates_per_group_flag_differences_and_suppress_small_groups():
    from trede.stats.fairness import selection_rates

    gender = np.array(["f"] * 40 + ["m"] * 40 + ["x"] * 3)
    shortlisted = np.array([True] * 20 + [False] * 20 + [True] * 10 + [False] * 30 + [True, False, False])
    overall, rows = selection_rates({"gender": gender}, {"shortlist": shortlisted}, tolerance=0.05, min_group=20)
    by = {r.group: r for r in rows}
    assert overall["shortlist"] == pytest.approx(31 / 83)
    assert by["f"].rates["shortlist"] == 0.5 and "shortlist" in by["f"].flags
    assert by["m"].rates["shortlist"] == 0.25 and "shortlist" in by["m"].flags
    assert by["x"].suppressed and by["x"].rates == {}
