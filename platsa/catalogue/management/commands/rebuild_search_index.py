from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from platsa.catalogue.models import ActionSearchEntry
from platsa.catalogue.search import rebuild_index
from platsa.catalogue.selectors import frameworks, shared_catalogue


class Command(BaseCommand):
    help = (
        "Rebuild the catalogue's full-text search index from the data files. Not needed in "
        "normal use: a search rebuilds it by itself when the files have changed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="only rebuild a framework's index if its catalogue changed (e.g. after a deploy)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for framework in frameworks().values():
            catalogue = shared_catalogue(framework.id, framework.version)
            rebuilt = rebuild_index(catalogue, force=not options["if_changed"])
            entries = ActionSearchEntry.objects.filter(framework_id=framework.id).count()
            state = "rebuilt" if rebuilt else "up to date"
            self.stdout.write(
                f"{framework.id}: {len(catalogue)} actions, {entries} index entries, {state}"
            )
