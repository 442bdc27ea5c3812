from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("keys/register/begin/", views.key_register_begin, name="key_register_begin"),
    path("keys/register/complete/", views.key_register_complete, name="key_register_complete"),
    path("keys/authenticate/begin/", views.key_auth_begin, name="key_auth_begin"),
    path("keys/authenticate/complete/", views.key_auth_complete, name="key_auth_complete"),
    path("password/", views.password_change_required, name="password_change_required"),
    path("", views.security, name="security"),
]
