"""The reference: the same model as engine.py, one person object at a time in plain Python.

Kept small and obvious on purpose. It shares with the engine only the compiled scenario (engine.Model: parameters
and per-person constants), the contact multipliers of the month (Model.service) and the random numbers (rng.py);
everything else is written again: the states, the due things checked for every person every month, the allocation
by sorting, the event choice from the same formula in scalar Python, and the accounting, which here simply counts
each person's month (the engine adds whole spells at once). Fed the same draws, both must give exactly the same
result (tests/simulation/test_reference.py); the benchmark times both on the same population.
"""

from __future__ import annotations

import numpy as np

from trede.simulation import engine as E
from trede.simulation import rng as R
from trede.simulation.scenario import DURATION_EDGES


def _band(months: int) -> int:
    return sum(1 for edge in DURATION_EDGES if months >= edge)


def _age_class(age_months: int) -> int:
    return sum(1 for edge in (27 * 12, 50 * 12, 60 * 12) if age_months >= edge)


class Person:
    __slots__ = (
        "i", "state", "since", "ladder", "prog", "prog_end", "sanc_start", "sanc_end", "ws_end", "jc_end",
        "durable_at", "invited",
    )  # fmt: skip

    def __init__(self, i: int, ladder: int) -> None:
        self.i = i
        self.state = E.WAITING
        self.since = 0
        self.ladder = ladder
        self.prog = E.NONE
        self.prog_end = 0
        self.sanc_start = -1  # month the running sanction began (-1: none)
        self.sanc_end = 0
        self.ws_end = 0
        self.jc_end = 0
        self.durable_at = -1
        self.invited = False


class ReferenceRun:
    def __init__(self, model: E.Model, prep: E.Prepared, seed: int, replication: int) -> None:
        self.m, self.p, self.seed, self.rep = model, prep, seed, replication
        self.H = model.horizon
        keys = R.person_keys(seed, replication, prep.n)
        self.key = [int(k) for k in keys[E.KEY_ORDER]]
        take_up = int(R.threshold(model.tp_take_up))
        ws_share = int(R.threshold(model.ws_share))
        jc_share = int(R.threshold(model.jc_share))
        seg_ok = [bool(x) for x in model.ws_segments]
        self.willing = [int(k) < take_up for k in keys[E.KEY_WILLING]]
        self.ws = [int(k) < ws_share and seg_ok[s] for k, s in zip(keys[E.KEY_SUBSIDY], prep.segment, strict=True)]
        self.jc = [int(k) < jc_share for k in keys[E.KEY_COACH]]
        self.people = [Person(i, int(prep.ladder0[i])) for i in range(prep.n)]
        self.acc = np.zeros((len(E.ACC), prep.cells.n), dtype=np.int64)
        self.curves = np.zeros((self.H, 4, len(E.CURVES)), dtype=np.int64)
        self.pool_months = np.zeros(3, dtype=np.int64)

    def add(self, name: str, person: Person, value: int = 1) -> None:
        self.acc[E.A[name], self.p.cell[person.i]] += value

    def curve(self, t: int, name: str, person: Person) -> None:
        self.curves[t, self.p.route[person.i], E.C[name]] += 1

    # ------------------------------------------------------------------------------------------------

    def run(self) -> E.RepResult:
        for t in range(self.H):
            self.month(t)
        cells = self.p.cells.n
        end_state = np.zeros((cells, len(E.STATES)), dtype=np.int64)
        end_ladder = np.zeros((cells, 6), dtype=np.int64)
        for q in self.people:
            end_state[self.p.cell[q.i], q.state] += 1
            if q.state == E.ON:
                end_ladder[self.p.cell[q.i], q.ladder] += 1
        end_duration = np.zeros(5, dtype=np.int64)
        for q in self.people:
            if q.state == E.ON:
                end_duration[sum(1 for b in E.DURATION_PROFILE if self.H - q.since >= b)] += 1
        return E.RepResult(self.acc, end_state, end_ladder, self.curves, self.pool_months, end_duration)

    def month(self, t: int) -> None:
        m, p = self.m, self.p
        active = int(p.entry_end[t])
        people = self.people[:active]
        for q in people:
            if p.entry[q.i] == t:
                self.add("entries", q)
                self.curve(t, "entries", q)
                if p.pension[q.i] <= t:
                    q.state = E.GONE
                    self.add("gone_off", q)
                else:
                    q.state = E.ON
                    q.since = t - int(p.duration0[q.i]) if t == 0 else t
            elif q.state not in (E.GONE, E.WAITING):
                self.due(q, t)
        self.allocate(t, people)
        on_pool = np.zeros(3, dtype=np.int64)
        for q in people:
            if q.state == E.ON:
                on_pool[p.pool[q.i]] += 1
            if q.state in (E.ON, E.BASIC_JOB, E.WORK, E.OFF, E.GONE):
                name = {E.ON: "on_benefit", E.BASIC_JOB: "basic_job", E.WORK: "work", E.OFF: "off_other"}.get(
                    q.state, "gone"
                )
                self.curve(t, name, q)
            self.count_month(q, t)
        self.pool_months += on_pool
        svc_work, svc_up = m.service(on_pool)
        u = R.uint32(self.seed, self.rep, t, R.EVENT, 0, active)
        for q in people:
            if q.state in (E.ON, E.WORK, E.OFF, E.BASIC_JOB):
                self.event(q, t, int(u[q.i]), svc_work, svc_up)

    def count_month(self, q: Person, t: int) -> None:
        """This month's months, person by person."""
        if q.state == E.ON:
            self.add("months_on", q)
            if q.ladder == 5:
                self.add("months_part_time", q)
            if q.sanc_start >= 0 and q.sanc_start <= t < q.sanc_start + self.m.sanction_months:
                self.add("months_sanction", q)
            if q.prog != E.NONE:
                self.add(f"months_{E.PROGRAMMES[q.prog]}", q)
        elif q.state == E.BASIC_JOB:
            self.add("months_basic_job", q)
        elif q.state == E.WORK:
            self.add("months_work", q)
            if t < q.ws_end:
                self.add("months_wage_subsidy", q)
            if t < q.jc_end:
                self.add("months_job_coaching", q)
        elif q.state == E.OFF:
            self.add("months_off", q)

    def due(self, q: Person, t: int) -> None:
        p = self.p
        if p.pension[q.i] <= t:
            self.add("exits_pension" if q.state == E.ON else "gone_off", q)
            q.state = E.GONE
            return
        if q.state == E.ON and q.prog != E.NONE and q.prog_end == t:
            q.prog = E.NONE
        elif q.state == E.BASIC_JOB and q.prog_end == t:
            self.enter_on(q, t)
        elif q.state == E.WORK and q.durable_at == t:
            if q.since == t - 12:
                self.add("durable", q)
            q.durable_at = -1

    def enter_on(self, q: Person, e: int) -> None:
        q.state, q.since, q.prog, q.sanc_start, q.sanc_end = E.ON, e, E.NONE, -1, 0

    # ------------------------------------------------------------------------------------------------

    def allocate(self, t: int, people: list[Person]) -> None:
        m = self.m
        counts = dict.fromkeys((E.TEGEN, E.COACHING, E.TRIAL), 0)
        jobs = 0
        for q in people:
            if q.state == E.ON and q.prog in counts:
                counts[q.prog] += 1
            jobs += q.state == E.BASIC_JOB
        cohort_month = m.cohort_on and t >= m.cohort_start and (t - m.cohort_start) % m.cohort_pace == 0
        free = {
            E.COHORT: m.cohort_size if cohort_month else 0,
            E.TEGEN: m.tp_places - counts[E.TEGEN] if m.tp_regime != "none" else 0,
            E.COACHING: m.coach_places - counts[E.COACHING],
            E.TRIAL: m.trial_places - counts[E.TRIAL],
            E.BASIC_JOB_PROGRAMME: m.bj_places - jobs,
        }
        for programme in E.ALLOCATION_ORDER:
            k = free[programme]
            if k <= 0:
                continue
            ok = [q for q in people if self.eligible(q, programme, t)]
            order = m.order[programme]
            if order == "random":
                ok.sort(key=lambda q: (self.key[q.i], q.i))
            elif order == "longest_first":
                ok.sort(key=lambda q: (q.since, self.key[q.i], q.i))
            else:
                ok.sort(key=lambda q: (-q.since, self.key[q.i], q.i))
            for q in ok[:k]:
                self.start(q, programme, t)

    def eligible(self, q: Person, programme: int, t: int) -> bool:
        m, p = self.m, self.p
        if q.state != E.ON or q.prog != E.NONE:
            return False
        route, seg, ind = int(p.route[q.i]), int(p.segment[q.i]), bool(p.exempt[q.i])
        exempt_any = ind or m.policy_exempt
        if programme == E.COHORT:
            return (
                bool(m.cohort_routes[route])
                and not (m.cohort_exclude_exempt and exempt_any)
                and not q.invited
                and q.since <= t - m.cohort_min
            )
        if programme == E.TEGEN:
            willing = not exempt_any if m.tp_regime == "enforced" else self.willing[q.i]
            return bool(m.tp_routes[route]) and willing and q.since <= t - m.tp_min
        if programme == E.COACHING:
            return bool(m.coach_segments[seg])
        if programme == E.TRIAL:
            return bool(m.trial_routes[route]) and not ind and q.ladder >= m.trial_min_ladder
        return bool(m.bj_segments[seg]) and q.since <= t - m.bj_min

    def start(self, q: Person, programme: int, t: int) -> None:
        m = self.m
        if programme == E.BASIC_JOB_PROGRAMME:
            q.state, q.since, q.prog, q.sanc_start, q.sanc_end = E.BASIC_JOB, t, E.NONE, -1, 0
            q.prog_end = t + m.bj_months if m.bj_months > 0 else int(E.INF)
            self.add("basic_job_starts", q)
            return
        q.prog, q.prog_end = programme, t + int(m.prog_months[programme])
        if programme == E.COHORT:
            q.invited = True
            self.add("invited", q)
        elif programme == E.TRIAL:
            self.add("trials", q)

    # ------------------------------------------------------------------------------------------------

    def probabilities(self, q: Person, t: int, svc_work, svc_up) -> list[float]:
        m, p, i = self.m, self.p, q.i
        b = _band(t - q.since)
        if q.state == E.ON:
            a = _age_class(int(p.age0[i]) + t - int(p.entry[i]))
            lad, prog, pool = q.ladder - 1, q.prog, int(p.pool[i])
            seg = int(p.segment[i])
            ind = bool(p.exempt[i])
            pol = m.policy_exempt and not ind
            exf = float(m.work_exempt) if ind else (float(m.exemption_work) if pol else 1.0)
            wsf = float(m.ws_work) if self.ws[i] else 1.0
            w = float(m.work_seg[seg]) * exf * wsf * float(m.work_dur[b])
            w = w * float(m.work_lad[lad]) * float(m.work_age[a]) * float(svc_work[pool]) * float(m.prog_work[prog])
            if q.sanc_end > t:
                w = w * m.sanction_work
            if prog == E.TRIAL:
                w = m.trial_conversion if q.prog_end <= t + 1 else 0.0
            o = float(m.other_seg[seg]) * float(m.other_dur[b]) * float(m.other_age[a]) * float(m.prog_other[prog])
            g = float(m.gone_age[a])
            up = float(m.up[lad]) * float(svc_up[pool]) * float(m.prog_up[prog])
            if pol and lad == 3:
                up = up * m.part_time_effect
            dn = float(m.down[lad]) * float(m.prog_down[prog])
            obliged = not (ind or pol) and m.sanctions_on
            br = (m.breach if obliged else 0.0) * float(m.prog_breach[prog])
            named = {"work": w, "other": o, "gone": g, "up": up, "down": dn, "breach": br}
            probs = [named[name] for name in E.ON_EVENTS]
        elif q.state in (E.WORK, E.OFF):
            r = float((m.ret_work if q.state == E.WORK else m.ret_other)[b])
            if q.state == E.WORK:
                r = r * (m.ws_return if q.ws_end > t else 1.0)
                r = r * (m.jc_return if q.jc_end > t else 1.0)
            named = {"return": r, "gone": m.gone_off}
            probs = [named[name] for name in E.OFF_EVENTS] + [0.0] * (6 - len(E.OFF_EVENTS))
        else:  # basic job
            last = q.prog_end <= t + 1
            named = {
                "work": m.bj_conversion if last else m.bj_to_work,
                "drop_out": 0.0 if last else m.bj_drop,
                "gone": m.gone_off,
            }
            probs = [named[name] for name in E.JOB_EVENTS] + [0.0] * (6 - len(E.JOB_EVENTS))
        total = 0.0
        for x in probs:
            total += x
        if total > 1.0:
            probs = [x / total for x in probs]
        return probs

    def event(self, q: Person, t: int, u: int, svc_work, svc_up) -> None:
        probs = self.probabilities(q, t, svc_work, svc_up)
        cum = 0.0
        k = None
        for j, x in enumerate(probs):
            cum += x
            if u < int(min(cum, 1.0) * R.TWO32):
                k = j
                break
        if k is None:
            return
        e, m = t + 1, self.m
        if q.state == E.ON:
            name = E.ON_EVENTS[k]
            if name in ("work", "other", "gone"):
                if name == "work" and q.prog == E.TRIAL:
                    self.add("trial_contracts", q)
                q.prog, q.sanc_start, q.sanc_end = E.NONE, -1, 0
                self.leaver(q, e)
                if name == "work":
                    self.add("exits_work", q)
                    self.enter_work(q, t, e)
                elif name == "other":
                    q.state, q.since = E.OFF, e
                    self.add("exits_other", q)
                    self.curve(t, "exits_other", q)
                else:
                    q.state = E.GONE
                    self.add("exits_gone", q)
            elif name == "up":
                q.ladder += 1
            elif name == "down":
                q.ladder -= 1
            else:
                q.sanc_start, q.sanc_end = e, e + m.sanction_effect_months
                self.add("sanctions", q)
                self.curve(t, "sanctions", q)
        elif q.state in (E.WORK, E.OFF):
            if E.OFF_EVENTS[k] == "return":
                d = e - q.since
                if q.state == E.WORK and d < 12 and q.since + 12 <= self.H:
                    self.add("returns_12m_work", q)
                for w in E.RETURN_WINDOWS:
                    if d < w and q.since + w <= self.H:
                        self.add(f"returns_{w}", q)
                self.add("returns", q)
                self.curve(t, "returns", q)
                self.enter_on(q, e)
            else:
                q.state = E.GONE
                self.add("gone_off", q)
            q.ws_end = q.jc_end = 0
            q.durable_at = -1
        else:
            name = E.JOB_EVENTS[k]
            if name == "work":
                self.leaver(q, e)
                self.add("exits_work_job", q)
                self.enter_work(q, t, e)
            elif name == "drop_out":
                self.enter_on(q, e)
            else:
                self.leaver(q, e)
                q.state = E.GONE
                self.add("gone_off", q)

    def leaver(self, q: Person, e: int) -> None:
        for w in E.RETURN_WINDOWS:
            if e + w <= self.H:
                self.add(f"leavers_{w}", q)

    def enter_work(self, q: Person, t: int, e: int) -> None:
        m = self.m
        q.state, q.since = E.WORK, e
        self.curve(t, "exits_work", q)
        if e + 12 <= self.H:
            self.add("exits_work_followed", q)
            q.durable_at = e + 12
        if m.ws_months > 0 and self.ws[q.i]:
            q.ws_end = e + m.ws_months
        if m.jc_months > 0 and self.jc[q.i]:
            q.jc_end = e + m.jc_months


def simulate(scenario, population, *, horizon: int, seed: int, replications) -> list[E.RepResult]:
    """Like engine.simulate, one person at a time."""
    prep = population if isinstance(population, E.Prepared) else E.Prepared(population)
    model = E.Model(scenario, prep, horizon)
    return [ReferenceRun(model, prep, seed, r).run() for r in replications]
