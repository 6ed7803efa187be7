"""Evaluation of pilots (issue 9), pure statistics without Django.

- design: the pilot plan (question, arms, unit of randomisation, strata, outcomes, analysis plan) and its checks.
- randomise: stratified permuted-block randomisation of clients, caseworkers or districts from a recorded seed.
- power: minimum detectable effect and required size (proportions and means, allocation ratio, design effect).
- effects: intention-to-treat differences with conventional and robust errors, regression adjustment, subgroups
  with Holm or Benjamini-Hochberg correction, the complier effect by instrumental variables (2SLS).
- durations: Kaplan-Meier per arm, log-rank test and the Cox hazard ratio of the intervention.
- observational: propensity score, inverse-probability weighting and nearest-neighbour matching with a balance table
  and overlap diagnostics; every result says randomised=False.
- bootstrap: reproducible bootstrap intervals (Philox keyed on seed and replication), on Dask when
  TREDE_DASK_SCHEDULER names a scheduler, with the same result either way.
- report: analyse(plan, frame) runs the pre-registered analysis; monitor(plan, frame) gives the figures that may be
  seen before the analysis date (no outcomes).
- synthetic: a synthetic pilot for the benchmark, the tests and the demo.

Every result carries the number of people it rests on. Bad input raises ValueError with a message that names the
column and the problem.
"""
