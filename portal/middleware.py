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
