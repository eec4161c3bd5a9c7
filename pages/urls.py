"""Candidate pages at the site root; `/` is the dashboard."""

from django.contrib.auth import views as auth_views
from django.urls import path

from cloudinterview.api.ids import register_id_converters

from . import views, webhooks

app_name = "pages"

register_id_converters()

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.password_change_page, name="password_change"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="pages/auth/password_reset_done.html"), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="pages/auth/password_reset_complete.html"), name="password_reset_complete"),
    path("accounts/settings/", views.settings_page, name="settings"),
    path("accounts/settings/webhooks/", webhooks.webhook_create, name="webhook_create"),
    path("accounts/settings/webhooks/<webhook:webhook_id>/rotate/", webhooks.webhook_rotate, name="webhook_rotate"),
    path("accounts/settings/webhooks/<webhook:webhook_id>/test/", webhooks.webhook_test, name="webhook_test"),
    path("accounts/settings/webhooks/<webhook:webhook_id>/enable/", webhooks.webhook_enable, name="webhook_enable"),
    path("accounts/settings/webhooks/<webhook:webhook_id>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<session:session_id>/report/", views.report, name="report"),
    path("sessions/<session:session_id>/share/", views.report_share, name="report_share"),
    path("questions/", views.question_list, name="question_list"),
    path("questions/<question:question_id>/", views.question_detail, name="question_detail"),
    path("interviews/new/", views.interview_new, name="interview_new"),
    path("interviews/<session:session_id>/", views.interview_room, name="interview_room"),
]
