from django.conf import settings


def portal(request):
    """Whether this is the demo, so every page can say its units and accounts are invented."""
    return {"DEMO_MODE": getattr(settings, "PORTAL_DEMO", False)}
