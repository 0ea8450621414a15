"""Import an action plan (YAML or CSV) or a list of institutions (YAML)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commitments.importer import ImportFailed, import_file


class Command(BaseCommand):
    help = (
        "Import a plan file (YAML, or CSV for spreadsheets). Re-importing the same "
        "file changes nothing; a file with any error writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would change and write nothing.",
        )
        parser.add_argument(
            "--verbose-changes",
            action="store_true",
            help="Also list the objects that stay unchanged.",
        )

    def handle(self, *args, files, dry_run, verbose_changes, **options):
        for path in files:
            try:
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            try:
                report = import_file(path.name, content, dry_run=dry_run)
            except ImportFailed as failure:
                for message in failure.errors:
                    self.stderr.write(message)
                count = len(failure.errors)
                message = ngettext(
                    "%(file)s: %(count)d error; nothing was imported.",
                    "%(file)s: %(count)d errors; nothing was imported.",
                    count,
                )
                raise CommandError(message % {"file": path, "count": count}) from None
            for change in report.changes:
                if change.action != "unchanged" or verbose_changes:
                    self.stdout.write(change.line())
            # The importer's messages are in the site's language: so are these.
            if dry_run:
                line = _("%(file)s: dry run, nothing written: %(summary)s")
            else:
                line = _("%(file)s: %(summary)s")
            self.stdout.write(line % {"file": path, "summary": report.summary()})
