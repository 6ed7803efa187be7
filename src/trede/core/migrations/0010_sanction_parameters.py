"""Complete existing rule sets with the sanction parameters (art. 18, 18b Participatiewet; Awb terms; ordinance)."""

import importlib

from django.db import migrations

complete = importlib.import_module("trede.core.migrations.0004_complete_rulesets").complete


def add_sanction_parameters(apps, schema_editor):
    complete(
        apps,
        {
            "sanction_repeat_window_months",
            "sanction_uniform",
            "sanction_language_steps",
            "sanction_reconsider_months",
            "objection_decision_weeks",
            "objection_extension_weeks",
            "sanction_tiers",
            "sanction_uniform_months",
            "hearing_term_days",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0009_matching_parameters")]
    operations = [migrations.RunPython(add_sanction_parameters, migrations.RunPython.noop)]
