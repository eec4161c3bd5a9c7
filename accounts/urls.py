from django.urls import path

from . import apis

auth_urlpatterns = [
    path("register", apis.RegisterApi.as_view(), name="auth-register"),
    path("login", apis.LoginApi.as_view(), name="auth-login"),
    path("refresh", apis.RefreshApi.as_view(), name="auth-refresh"),
    path("logout", apis.LogoutApi.as_view(), name="auth-logout"),
    path("password", apis.PasswordApi.as_view(), name="auth-password"),
]

users_urlpatterns = [
    path("me", apis.MeApi.as_view(), name="users-me"),
]
