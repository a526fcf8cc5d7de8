"""The address a request came from, for django-axes (AXES_CLIENT_IP_CALLABLE).

With TRUSTED_PROXY_COUNT = 0 (no proxy) it is REMOTE_ADDR and X-Forwarded-For is ignored: anyone
can write that header. Behind N proxies that each append the address they received from to
X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the hops are the header's entries then
REMOTE_ADDR; the last N are our proxies, the one before them is the client. Entries further left
were written by the client and are never trusted. django-ipware's proxy_count is not used: it gives
no address at all when a client sends its own X-Forwarded-For, and left-most order trusts it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not count:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    hops = [*forwarded, remote] if remote else forwarded
    if not hops:
        return remote
    # Fewer hops than proxies: the request skipped a proxy; the farthest hop is all we know.
    candidate = hops[-(count + 1)] if len(hops) > count else hops[0]
    return candidate if _valid(candidate) else remote
