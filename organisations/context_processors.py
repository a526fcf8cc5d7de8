from .permissions import is_leader, is_office_staff, is_principal, user_memberships


def roles(request):
    """Which parts of the site the header offers (each person sees only the links that work for
    them) and whose portal it is: the units the person works for, named in the header."""
    user = request.user
    if not user.is_authenticated:
        return {}
    units = list(dict.fromkeys(m.unit.name for m in user_memberships(user)))
    return {
        "ROLE_PRINCIPAL": is_principal(user),
        "ROLE_REVIEWER": is_office_staff(user) or is_leader(user),
        "USER_UNITS": units,
        "ROLE_OFFICE": is_office_staff(user),
    }
