from django.core.management.base import BaseCommand

from commitments import facts
from commitments.models import Commitment
from ogp_tracker import pagecache


class Command(BaseCommand):
    help = (
        "Recompute the stored facts of every commitment (milestone counts, latest "
        "update) from its milestones and progress updates. Saving through the "
        "application keeps them current; run this after writing rows another way, "
        "such as loaddata or SQL."
    )

    def handle(self, *args, **options):
        ids = list(Commitment.objects.values_list("pk", flat=True))
        facts.store_facts(ids)
        # Facts are written in bulk, which retires no stored page by itself.
        pagecache.retire_pages()
        self.stdout.write(f"Facts stored for {len(ids)} commitments.")
