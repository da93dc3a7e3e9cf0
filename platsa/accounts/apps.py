from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "platsa.accounts"
    label = "accounts"
