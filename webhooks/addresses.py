"""Where a webhook may go: HTTPS URLs whose host resolves only to public addresses (docs/webhooks.md,
"Safety"). The sender connects to the very address checked here, so a DNS answer that changes between
the check and the connection (rebinding) cannot steer a request inside the network."""

import contextlib
import ipaddress
import re
import socket
from dataclasses import dataclass

import httpx
from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2000
# Cloud metadata services, named in refusals so the user sees why.
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
            ipaddress.ip_address("100.100.100.200")}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
HOST_NAME = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$")


class UrlRefused(Exception):
    """The URL may not receive webhooks; the message says why, for the user."""


class HostUnresolved(UrlRefused):
    """The host has no address now: refused for a delivery, accepted when the URL is submitted."""


@dataclass(frozen=True)
class Target:
    """A checked destination: connect to `address`, present `host` (Host header, TLS server name)."""

    url: httpx.URL
    host: str  # ASCII (IDNA) form
    port: int
    address: IPAddress

    @property
    def scheme(self) -> str:
        return self.url.scheme

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"

    @property
    def host_is_address(self) -> bool:
        return _is_address(self.host)

    @property
    def connect_url(self) -> httpx.URL:
        """The URL with the checked address in place of the host, so nothing resolves the name again."""
        return self.url.copy_with(host=str(self.address))


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), which is where it really leads."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(ip: IPAddress) -> str | None:
    """Why `ip` may not receive webhooks, or None for a public unicast address."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return address_refusal(embedded)
    if ip in METADATA:
        return "a cloud metadata address"
    for flag, reason in (("is_loopback", "a loopback address"), ("is_link_local", "a link-local address"),
                         ("is_unspecified", "an unspecified address"), ("is_multicast", "a multicast address"),
                         ("is_private", "a private address"), ("is_reserved", "a reserved address")):
        if getattr(ip, flag):
            return reason
    if not ip.is_global:
        return "not a public address"
    return None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def url_parts(url: str) -> httpx.URL:
    """Check the form of a webhook URL (scheme, host, port, no credentials) and return it parsed. The same
    parser serves the check and the request, so the two cannot disagree about where the URL leads."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise UrlRefused(f"The URL is not valid: {exc}.") from exc
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parsed.scheme not in allowed:
        raise UrlRefused("The URL must start with https://." if len(allowed) == 1
                         else "The URL must start with https:// or http://.")
    host = parsed.raw_host.decode("ascii")
    if not host or not (_is_address(host) or HOST_NAME.match(host)):
        raise UrlRefused("The URL has no valid host.")
    if parsed.userinfo:
        raise UrlRefused("The URL may not contain a user name or password; the signature authenticates us.")
    if parsed.fragment:
        raise UrlRefused("The URL may not contain a #fragment.")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise UrlRefused("The URL's port is not valid.")
    return parsed


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostUnresolved(f"The host {host} could not be resolved.") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    return addresses


def target_for(url: str) -> Target:
    """Resolve the URL's host and check every address it resolves to (one bad answer refuses the URL,
    so a name cannot mix public and internal addresses); the first address is the one to connect to.
    WEBHOOK_ALLOW_PRIVATE lifts the address check, for local development and tests."""
    parsed = url_parts(url)
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not addresses:
        raise HostUnresolved(f"The host {host} has no address.")
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        for ip in addresses:
            if reason := address_refusal(ip):
                raise UrlRefused(f"{host} resolves to {ip}, {reason}; webhooks go to public addresses only.")
    return Target(url=parsed, host=host, port=port, address=addresses[0])


def url_check(url: str) -> str:
    """Validate a URL a user submits: its form, and, when its host resolves now, its addresses. A name that
    does not resolve yet is accepted (its addresses are checked again before every attempt)."""
    url = url.strip()
    with contextlib.suppress(HostUnresolved):
        target_for(url)
    return url
