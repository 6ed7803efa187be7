"""Complete existing rule sets with the activation parameters (tegenprestatie policy, follow-up interval)."""

import importlib

from django.db import migrations

complete = importlib.import_module("trede.core.migrations.0004_complete_rulesets").complete


def add_activation_parameters(apps, schema_editor):
    complete(apps, {"tegenprestatie_policy", "follow_up_months"})


class Migration(migrations.Migration):
    dependencies = [("core", "0006_provider_role_and_purposes")]
    operations = [migrations.RunPython(add_activation_parameters, migrations.RunPython.noop)]
