"""Policy simulation (issue 10): a calibrated microsimulation of a city's caseload under the approaches
municipalities use. Pure Python and NumPy, no Django. See docs/simulation.md.

    rng          counter-based random numbers (Philox keyed on seed, replication, month, stream; person = counter)
    scenario     scenario files (TOML, every parameter with its source) and their validation
    scenarios/   the shipped scenarios: baseline and seven approaches
    population   the population as NumPy columns: synthetic, or a municipality's caseload frame; the inflow
    engine       the vectorised monthly engine with its capacity-limited allocation step
    reference    the same model one person at a time (tests and benchmark)
    results      figures per scenario and group with intervals, paired differences, CSV / Parquet
    runner       replications in this process, on a process pool or on Dask
    calibration  the calibration report against population.md, and the tuning tool
    cli          the command line (also `trede simulate`)
"""
