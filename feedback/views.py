"""The public, read-only report page behind a share link: no login, nothing private beyond the report."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .presentation import report_page
from .selectors import shared_session


@login_not_required
@require_safe
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    """404 once revoked or rotated, or when the account is gone; never cached, so revocation is immediate,
    and no Referer leaves the page, so the token does not leak to links it contains."""
    session = shared_session(token=token)
    if session is None:
        raise Http404("No such shared report.")  # templates/404.html says the link was turned off
    response = render(request, "feedback/share.html", report_page(session=session, public=True))
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
