"""Policy simulation (issue 10): a calibrated microsimulation of a city's caseload under the approaches
municipalities use. Pure Python and NumPy, no Django. See docs/simulation.md."""
