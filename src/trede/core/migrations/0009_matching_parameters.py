"""Complete existing rule sets with the matching parameters (travel limit, weights, travel-time estimate)."""

import importlib

from django.db import migrations

complete = importlib.import_module("trede.core.migrations.0004_complete_rulesets").complete


def add_matching_parameters(apps, schema_editor):
    complete(
        apps,
        {
            "max_travel_minutes_per_day",
            "match_weights",
            "travel_speed_kmh",
            "travel_detour_pct",
            "travel_overhead_minutes",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0008_employer_adviser_and_matching")]
    operations = [migrations.RunPython(add_matching_parameters, migrations.RunPython.noop)]
