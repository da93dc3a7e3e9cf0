"""Organisers' accounts. Respondents never have one: they stay anonymous."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An organiser, identified by e-mail (allauth); ``username`` is kept for the admin."""

    display_name = models.CharField(_("name"), max_length=150, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.email or self.username
