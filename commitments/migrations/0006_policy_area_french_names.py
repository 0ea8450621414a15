"""Give the policy areas imported so far their French names.

Areas were created with their English name only; those whose French name is
known get it, unless staff already wrote one.
"""

from django.db import migrations


def name_in_french(apps, schema_editor):
    from commitments.policy_areas import french_name

    PolicyArea = apps.get_model("commitments", "PolicyArea")
    for area in PolicyArea.objects.filter(name_fr=""):
        area.name_fr = french_name(area.name_en)
        if area.name_fr:
            area.save(update_fields=["name_fr"])


class Migration(migrations.Migration):
    dependencies = [("commitments", "0005_commitment_number_nine_digits")]

    operations = [migrations.RunPython(name_in_french, migrations.RunPython.noop)]
