"""Send the followers' digests and the moderation reminders now (for cron; the app also
starts them by itself at most hourly)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send open-innovation digests to followers and moderation reminders to organisers."

    def handle(self, *args: object, **options: object) -> None:
        from platsa.innovation.digests import send_digests

        send_digests.call()
        self.stdout.write("digests and reminders sent")
