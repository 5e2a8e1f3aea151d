"""The one access module: "the object this user may see" and "may they do this with it".

Every view asks here. Scope first, then look up (an object outside the user's scope answers 404,
never 403, so its existence is not revealed); then decide through `rules` (django's `has_perm`
with the object), which answers 403. No view writes either check for itself.
"""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=models.Model)


def visible(user: Any, queryset: "models.QuerySet[M] | type[M]") -> "models.QuerySet[M]":
    """The rows of `queryset` (or of a model) that `user` may see, through its `visible_to` method."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    return queryset.visible_to(user)  # type: ignore[attr-defined]


def object_visible(user: Any, queryset: "models.QuerySet[M] | type[M]", **lookup: Any) -> M:
    """The one object matching `lookup` among those `user` may see; 404 otherwise."""
    return get_object_or_404(visible(user, queryset), **lookup)


def require(user: Any, perm: str, obj: models.Model | None = None) -> None:
    """403 unless `rules` lets `user` do `perm` (with `obj` when the decision depends on it)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def object_changeable(user: Any, queryset: "models.QuerySet[M] | type[M]", perm: str, **lookup: Any) -> M:
    """The object `user` may see (else 404) and may `perm` (else 403)."""
    obj = object_visible(user, queryset, **lookup)
    require(user, perm, obj)
    return obj
