from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "platsa.accounts"
    label = "accounts"

    def ready(self) -> None:
        # allauth tells of a verified address only through this signal (login by code
        # verifies without the adapter); the rule itself is in platsa.accounts.security.
        from allauth.account.signals import email_confirmed

        from platsa.accounts.security import address_proven

        def on_confirmed(sender: object, request: object, email_address: object, **kw: object):
            address_proven(request, email_address)  # type: ignore[arg-type]

        email_confirmed.connect(on_confirmed, dispatch_uid="platsa-address-proven", weak=False)
