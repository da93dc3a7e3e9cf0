"""Organisers' accounts. Respondents never have one: they stay anonymous."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager["User"]):
    """Users are created by e-mail address alone: there is no username.

    The address is stored in lower case, so that ``Anna@Example.org`` and
    ``anna@example.org`` are one account (allauth compares addresses the same way).
    """

    use_in_migrations = True

    def _create_user_object(  # type: ignore[override]
        self, email: str, password: str | None, **extra_fields: Any
    ) -> User:
        if not email or not email.strip():
            raise ValueError("An e-mail address is required")
        user = self.model(email=email.strip().lower(), **extra_fields)
        user.set_password(password)
        return user

    def _create_user(  # type: ignore[override]
        self, email: str, password: str | None, **extra_fields: Any
    ) -> User:
        user = self._create_user_object(email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An organiser, identified by a unique e-mail address (allauth logs in by e-mail).

    Django's ``username`` is removed: with allauth's ``ACCOUNT_USER_MODEL_USERNAME_FIELD =
    None`` it stayed empty but unique, so every sign-up after the first failed.
    """

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = EmailUserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.display_name or self.email
