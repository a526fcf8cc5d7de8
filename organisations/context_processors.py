from .permissions import is_leader, is_office_staff, is_principal


def roles(request):
    """Which parts of the site the header offers: each person sees only the links that work for them."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "ROLE_PRINCIPAL": is_principal(user),
        "ROLE_REVIEWER": is_office_staff(user) or is_leader(user),
        "ROLE_OFFICE": is_office_staff(user),
    }
