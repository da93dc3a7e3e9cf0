from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from platsa.core.io.reference import REFERENCE_DIR
from platsa.places.reference_import import import_reference


class Command(BaseCommand):
    help = "Import Swedish, Norwegian and Finnish municipalities with their open data (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=REFERENCE_DIR,
            help="folder with se/, no/ and fi/ (default: the copy in the repo; shared/data works too)",
        )
        parser.add_argument("--no-shapes", action="store_true", help="skip municipality boundaries")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = import_reference(options["source"], shapes=not options["no_shapes"])
        self.stdout.write(
            f"reference data: {summary.countries} countries, {summary.regions} regions, "
            f"{summary.municipalities} municipalities, {summary.shapes} boundaries; "
            f"{summary.changed} rows written"
        )
