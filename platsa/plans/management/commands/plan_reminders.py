"""Send the milestone reminders of action plans now (for cron; the app also starts them by
itself at most hourly, when a plan's page is opened)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "E-mail the contacts of plan actions whose milestones are due within a week or overdue."

    def handle(self, *args: object, **options: object) -> None:
        from platsa.plans.notify import send_reminders

        sent = send_reminders.call()
        self.stdout.write(f"{sent} milestone reminders sent")
