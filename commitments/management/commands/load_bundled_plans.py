"""Load the plans shipped in data/plans when the database holds no plan yet."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commitments.importer import ImportFailed, import_file
from commitments.models import ActionPlan


class Command(BaseCommand):
    help = "Load the bundled plans (data/plans) if the database holds no plan."

    def handle(self, *args, **options):
        if ActionPlan.objects.exists():
            self.stdout.write("plans already loaded; nothing to do.")
            return
        folder = settings.OGP_BUNDLED_PLANS_DIR
        # Institutions first, so the plans' spellings attach to them.
        paths = sorted(folder.glob("*.yaml"), key=lambda p: p.stem != "institutions")
        for path in paths:
            try:
                report = import_file(path.name, path.read_bytes())
            except ImportFailed as failure:
                raise CommandError("\n".join(failure.errors)) from None
            self.stdout.write(f"{path.name}: {report.summary()}")
