"""The network's up-scaling programme (the seed's *innovationsutbyggnadsprogram*): drafted
from a mapping's results, then written by the coordinator.

A draft copies what the results said when it was made (the shared development areas, the
actions on most municipalities' lists, lighthouse pairs) into items with their facts as
text; the coordinator then edits, removes and adds items and says who leads what and when.
The programme is a document of its own: later answers do not rewrite it (the comparison
page shows the live figures beside it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.processes.models import Process


class Programme(models.Model):
    mapping = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="programme")
    introduction = models.TextField(_("introduction"), blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The edit form of the last save: the same form sent again (a double click, a resend on
    # a slow line) is recognised and saves nothing twice.
    last_save = models.UUIDField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.mapping.title}: programme"


class ProgrammeItem(models.Model):
    class Kind(models.TextChoices):
        AREA = "area", _("Shared development area")
        ACTION = "action", _("Joint action")
        PAIR = "pair", _("Lighthouse and follower")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    position = models.PositiveSmallIntegerField(default=0)
    # Where the item came from in the results (empty for items the coordinator added).
    theme_id = models.CharField(max_length=64, blank=True)
    action_id = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    facts = models.TextField(_("from the results"), blank=True, max_length=2000)
    note = models.TextField(_("what the network does"), blank=True, max_length=4000)
    lead = models.CharField(_("who leads"), blank=True, max_length=200)
    timing = models.CharField(_("when"), blank=True, max_length=100)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title
