"""Candidate pages: thin doors onto the same services as the REST API and the socket.

Each view validates a form, calls one service or selector, and renders; no interview logic lives here.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.services import password_change, user_register, user_update
from accounts.throttles import THROTTLED_STATUS, AuthBudgetMixin, auth_throttled
from accounts.tokens import logins_revoke
from domain.errors import AlreadyExists, ApplicationError, InvalidInput, NotFound, WrongPassword
from feedback.analytics import user_analytics
from feedback.presentation import report_page
from feedback.selectors import session_list_for_user, session_report_for_user, share_path
from feedback.serializers import AnalyticsOutput
from feedback.services import share_create, share_revoke
from interviews.models import InterviewSession, SessionStatus
from interviews.selectors import intro_action, session_with_plan
from interviews.serializers import SessionDetailOutput
from interviews.services.flow import session_for_user, sessions_abandon_stale_for_user
from interviews.services.planning import session_start
from questionbank.selectors import (
    question_facets,
    question_get_any,
    question_get_published,
    question_list_published,
    question_similar,
)
from questionbank.serializers import coding_fields

from . import selectors
from .forms import (
    PasswordChangeForm,
    QuestionFilterForm,
    SessionFilterForm,
    SettingsForm,
    SignupForm,
    StartInterviewForm,
)
from .reports import answer_details
from .webhooks import settings_response

PAGE_SIZE = 20
RECENT_SESSIONS = 6


def _own_session(request: HttpRequest, session_id: str) -> InterviewSession:
    try:
        return session_for_user(user=request.user, session_id=session_id)
    except NotFound as exc:
        raise Http404("No such session.") from exc


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Accounts --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:dashboard")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if error := auth_throttled(request):
            form.add_error(None, error)
            status = THROTTLED_STATUS
        else:
            data = form.cleaned_data
            try:
                user = user_register(email=data["email"], password=data["password1"], name=data["name"],
                                     preferred_languages=data["preferred_languages"],
                                     experience_level=data["experience_level"])
            except AlreadyExists as exc:
                form.add_error("email", exc.message)
            except InvalidInput as exc:
                form.add_error("password1", exc.message)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "Welcome to CloudInterview! Set your preferences, then start practising.")
                return redirect("pages:settings")
    return render(request, "pages/auth/signup.html", {"form": form}, status=status)


class LoginView(AuthBudgetMixin, auth_views.LoginView):
    template_name = "pages/auth/login.html"
    redirect_authenticated_user = True



class PasswordResetView(AuthBudgetMixin, auth_views.PasswordResetView):
    template_name = "pages/auth/password_reset_form.html"
    email_template_name = "pages/auth/password_reset_email.txt"
    subject_template_name = "pages/auth/password_reset_subject.txt"
    success_url = reverse_lazy("pages:password_reset_done")



class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "pages/auth/password_reset_confirm.html"
    success_url = reverse_lazy("pages:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # A reset means the old password may be known to someone else: end the API logins too.
        logins_revoke(user=form.user, all_devices=True)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def password_change_page(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(user=request.user, current_password=form.cleaned_data["current_password"],
                            new_password=form.cleaned_data["new_password1"], new_login=False)
        except WrongPassword as exc:
            form.add_error("current_password", exc.message)
        except InvalidInput as exc:
            form.add_error("new_password1", exc.message)
        else:
            update_session_auth_hash(request, request.user)  # this browser stays signed in, others are out
            messages.success(request, "Your password was changed. Other devices were signed out.")
            return redirect("pages:settings")
    return render(request, "pages/auth/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    form = SettingsForm.for_user(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_update(user=request.user, **form.update_arguments())
        messages.success(request, "Your profile and preferences were saved.")
        return redirect("pages:settings")
    return settings_response(request, form=form)


# --- Dashboard and history ------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    sessions_abandon_stale_for_user(user=user)  # statuses as the detail shows them (the embedded default has no beat)
    analytics = AnalyticsOutput(user_analytics(user=user)).data
    context = {
        "overview": analytics["overview"],
        # Averages to one decimal, as the average card and the recommendations' text write them.
        "categories": [{"label": c["category"], "value": c["averageScore"]}
                       for c in analytics["performanceByCategory"]],
        "recommendations": analytics["recommendations"],
        "recent": list(session_list_for_user(user=user)[:RECENT_SESSIONS]),
        "progress": selectors.progress_points(user=user),
    }
    return render(request, "pages/dashboard.html", context)


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionFilterForm(request.GET)
    sessions_abandon_stale_for_user(user=request.user)
    page = _page(request, session_list_for_user(user=request.user, filters=form.filters()))
    return render(request, "pages/session_list.html",
                  {"form": form, "page": page, "query": _query_without_page(request)})


# --- Question bank --------------------------------------------------------------------------------


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    facets = question_facets()
    form = QuestionFilterForm(request.GET, categories=facets["categories"])
    page = _page(request, question_list_published(**form.filters()))
    marks = selectors.question_marks(user=request.user, question_ids=[q.id for q in page.object_list])
    return render(request, "pages/question_list.html", {"form": form, "page": page, "facets": facets,
                                                        "marks": marks, "query": _query_without_page(request)})


@login_required
def question_detail(request: HttpRequest, question_id: str) -> HttpResponse:
    question = question_get_published(public_id=question_id)
    if question is None and request.user.has_perm("questionbank.view_question"):
        question = question_get_any(public_id=question_id)  # staff preview drafts and archived questions
    if question is None:
        raise Http404("No such question.")
    similar_ids = question_similar(question=question)
    similar = {q.public_id: q for q in question_list_published().filter(public_id__in=similar_ids)}
    context = {
        "question": question,
        "hints": [h.text for h in question.hints.all()],
        "follow_ups": [f.text for f in question.follow_ups.all()],
        "coding": coding_fields(question),
        "similar": [similar[i] for i in similar_ids if i in similar],
        "unpublished": question.status != "published",
        "mark": selectors.question_marks(user=request.user, question_ids=[question.id]).get(question.id),
    }
    return render(request, "pages/question_detail.html", context)


# --- Interviews -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request: HttpRequest) -> HttpResponse:
    question_id = request.POST.get("question_id") or request.GET.get("question_id")
    question = question_get_published(public_id=question_id) if question_id else None
    form = StartInterviewForm.for_user(request.user, request.POST or None, topics=request.GET.get("topics", ""),
                                       question=question)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_start(user=request.user, **form.start_arguments())
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("pages:interview_room", session_id=session.public_id)
    return render(request, "pages/interview_new.html", {"form": form, "question": question})


@login_required
def interview_room(request: HttpRequest, session_id: str) -> HttpResponse:
    session = _own_session(request, session_id)
    if session.status in (SessionStatus.COMPLETED, SessionStatus.ABANDONED):
        return redirect("pages:report", session_id=session.public_id)
    config = {
        "sessionId": session.public_id,
        "socketPath": reverse("interview-socket", urlconf="feedback.routing", kwargs={"session_id": session.public_id}),
        "runUrl": reverse("session-run", kwargs={"session_id": session.public_id}),
        "reportUrl": reverse("pages:report", kwargs={"session_id": session.public_id}),
        "voiceInput": request.user.voice_input_enabled,
        "language": session.language,
    }
    detail = SessionDetailOutput(session_with_plan(session)).data
    context = {"session": session, "detail": detail, "config": config,
               "intro": intro_action(session=session, question_count=detail["questionCount"])}
    return render(request, "pages/interview_room.html", context)


@login_required
def report(request: HttpRequest, session_id: str) -> HttpResponse:
    try:
        session = session_report_for_user(user=request.user, session_id=session_id)
    except NotFound as exc:
        raise Http404("No such session.") from exc
    if session.status in (SessionStatus.PENDING, SessionStatus.IN_PROGRESS):
        return redirect("pages:interview_room", session_id=session.public_id)
    share = share_path(session)
    context = {
        **report_page(session=session, public=False),
        "details": answer_details(session=session),
        "owner": {"session_id": session.public_id, "share_url": request.build_absolute_uri(share) if share else None,
                  "pdf_url": reverse("session-transcript-pdf", kwargs={"session_id": session.public_id}),
                  "can_share": session.status == SessionStatus.COMPLETED},
    }
    return render(request, "pages/report.html", context)


@login_required
@require_POST
def report_share(request: HttpRequest, session_id: str) -> HttpResponse:
    """Turn the public link on (a fresh token each time) or off, through feedback's services."""
    session = _own_session(request, session_id)
    if request.POST.get("share") == "on":
        try:
            share_create(session=session)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Sharing is on: anyone with the link can read this report.")
    else:
        share_revoke(session=session)
        messages.success(request, "Sharing is off: the old link no longer works.")
    return redirect("pages:report", session_id=session.public_id)
