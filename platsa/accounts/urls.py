from django.urls import path

from platsa.accounts import code_signin, views

app_name = "accounts"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("export.json", views.export, name="export"),
    path("radera/", views.delete, name="delete"),
    # Participants: sign in with an e-mailed code (an account is made for a new address).
    path("kod/", code_signin.code_signin, name="code_signin"),
    path("kod/bekrafta/", code_signin.code_signin_confirm, name="code_signin_confirm"),
    path("namn/", code_signin.display_name, name="display_name"),
]
