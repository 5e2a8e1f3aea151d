def roles(request):
    """Role flags for the navigation, without a query on anonymous pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_is_procurement": user.is_procurement,
        "user_is_administrator": user.is_administrator,
        "user_is_oco": user.is_oco,
        "user_is_sro": user.is_sro,
    }
