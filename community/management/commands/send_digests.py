"""Send the daily digest e-mails; run once a day (cron or a scheduler)."""

from django.core.management.base import BaseCommand

from community import notifications, tasks


class Command(BaseCommand):
    help = (
        "Send each member who chose the daily digest the news waiting for them, "
        "and retry instant e-mails that failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task worker instead of sending from here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            tasks.send_daily_digests.enqueue()
            self.stdout.write("digest task enqueued")
            return

        sent = notifications.send_digests()
        self.stdout.write(f"digests sent: {sent}")
