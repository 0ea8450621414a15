"""Take the compliance paragraph out of the default accessibility statement.

The statement page now writes its compliance sentence from the level staff
choose in the admin, so the text must not repeat it: once staff changed the
level, the text would contradict it. Only a body still exactly as migration
0002 wrote it is changed; a body staff edited is left as they wrote it.
"""

from importlib import import_module

from django.db import migrations

DEFAULT = import_module("ogp_tracker.migrations.0002_default_legal_texts").PAGES[
    "accessibility"
]

REMOVED = {
    "body_fr": """\
## État de conformité

Ce site est **non conforme** avec le référentiel général d’amélioration de
l’accessibilité (RGAA) 4.1 : aucun audit de conformité n’a encore été réalisé.

""",
    "body_en": """\
## Compliance status

This site is **not compliant** with the French accessibility standard (RGAA 4.1):
no compliance audit has been carried out yet.

""",
}

OLD_BODIES = {field: DEFAULT[field] for field in REMOVED}
NEW_BODIES = {
    field: OLD_BODIES[field].replace(section, "", 1)
    for field, section in REMOVED.items()
}


def replace_untouched_bodies(
    legal_page_model, *, old: dict[str, str], new: dict[str, str]
) -> int:
    """Give each statement body still equal to old[field] the text new[field].

    Each language is compared on its own, so a French text staff rewrote
    does not keep the English default from being updated. Return the number
    of bodies changed.
    """
    statement = legal_page_model.objects.filter(kind="accessibility")
    changed = 0
    for field, old_text in old.items():
        untouched = statement.filter(**{field: old_text})
        changed += untouched.update(**{field: new[field]})

    return changed


def remove_compliance_text(apps, schema_editor):
    legal_page_model = apps.get_model("ogp_tracker", "LegalPage")
    replace_untouched_bodies(legal_page_model, old=OLD_BODIES, new=NEW_BODIES)


def restore_compliance_text(apps, schema_editor):
    legal_page_model = apps.get_model("ogp_tracker", "LegalPage")
    replace_untouched_bodies(legal_page_model, old=NEW_BODIES, new=OLD_BODIES)


class Migration(migrations.Migration):
    dependencies = [("ogp_tracker", "0002_default_legal_texts")]

    operations = [
        migrations.RunPython(remove_compliance_text, restore_compliance_text)
    ]
