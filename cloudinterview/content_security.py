"""The Content-Security-Policy of every response (settings.CONTENT_SECURITY_POLICY, docs/security.md).

Script, style, images and fonts come from this origin only; no inline script or event handler runs, so
even HTML that got past the Markdown sanitiser could not execute. The live socket is on this host:
`'self'` covers ws:// and wss:// only in browsers that implement CSP level 3, so connect-src also names
them with the host the page was served from.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()
        except DisallowedHost:  # answered with a 400 already; no socket to allow
            return parts
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", ()), f"ws://{host}", f"wss://{host}"]
        parts.update = update
        return parts
