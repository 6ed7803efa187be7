"""Complete existing rule sets with the benefit norms (used for the reduction in euros of a sanction decision)."""

import importlib

from django.db import migrations

complete = importlib.import_module("trede.core.migrations.0004_complete_rulesets").complete


def add_benefit_norms(apps, schema_editor):
    complete(apps, {"benefit_norm_cents"})


class Migration(migrations.Migration):
    dependencies = [("core", "0010_sanction_parameters")]
    operations = [migrations.RunPython(add_benefit_norms, migrations.RunPython.noop)]
