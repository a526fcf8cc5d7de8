from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest


class VietnameseFirstMiddleware:
    """Vietnamese unless the user picked English from the language menu (a cookie).

    Many office PCs run an English-language browser; their Accept-Language header must not turn
    the portal English by itself. Placed before LocaleMiddleware, which then sees only the cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """A Permissions-Policy header: the portal uses no camera, microphone, location, payment or
    USB, so no page (nor anything injected into one) may ask the browser for them."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


class RequestTextMiddleware:
    """A query string or a form post that is not UTF-8 (a lone surrogate, %ED%A0%80, or bytes no
    UTF-8 has) gets the Vietnamese 400 page.

    Django would read the bad bytes as U+FFFD and store the mangled text; no browser sends them
    from the portal's UTF-8 pages. A NUL is valid UTF-8 and left to the forms, which say so beside
    the field and keep what was typed. Multipart posts (file uploads) are read by Django's parser,
    not here."""

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _decoded(request.META.get("QUERY_STRING", "")) is None:
            raise BadRequest("query string is not UTF-8 text")
        if request.method == "POST" and request.content_type == self.FORM and _decoded(request.body) is None:
            raise BadRequest("form post is not UTF-8 text")
        return self.get_response(request)


def _decoded(encoded: str | bytes) -> str | None:
    """A urlencoded string as text once its %-escapes are undone; None when it is not UTF-8."""
    if isinstance(encoded, str):
        try:
            encoded = encoded.encode("iso-8859-1")  # WSGI gives the raw bytes as latin-1
        except UnicodeEncodeError:
            encoded = encoded.encode()  # already text (the test client passes str)
    try:
        return unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return None
