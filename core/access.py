"""The one access module: "the object this user may see" and "may they do this with it".

Every view asks here. Scope first, then look up (an object outside the user's scope answers 404,
never 403, so its existence is not revealed); then decide through `rules` (django's `has_perm`
with the object), which answers 403. No view writes either check for itself.
"""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views.generic.detail import SingleObjectMixin

M = TypeVar("M", bound=models.Model)


def named_on(user: Any, contract: str = "") -> Q:
    """The least-privilege scope of the register, written once: the contracts (reached through the
    relation path `contract`, "" for contracts themselves) on which `user` is named as OCO or SRO.
    The Procurement Unit and administrators see everything and need no such filter."""
    prefix = f"{contract}__" if contract else ""
    return Q(**{f"{prefix}oco": user}) | Q(**{f"{prefix}sro": user})


def _related_model(model: type[models.Model], path: str) -> type[models.Model]:
    for name in path.split("__"):
        related = model._meta.get_field(name).related_model
        if related is None or isinstance(related, str):
            raise ValueError(f"{model.__name__}.{name} is not a relation")
        model = related
    return model


def visible(user: Any, queryset: "models.QuerySet[M] | type[M]", *, through: str = "") -> "models.QuerySet[M]":
    """The rows of `queryset` (or of a model) that `user` may see: through its own `visible_to`
    method, or, with `through="contract"` (any relation path), those whose related object they may see."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    if through:
        owner = _related_model(queryset.model, through)
        return queryset.filter(**{f"{through}__in": visible(user, owner)})
    return queryset.visible_to(user)  # type: ignore[attr-defined]


def object_visible(user: Any, queryset: "models.QuerySet[M] | type[M]", *, through: str = "", **lookup: Any) -> M:
    """The one object matching `lookup` among those `user` may see; 404 otherwise."""
    return get_object_or_404(visible(user, queryset, through=through), **lookup)


def require(user: Any, perm: str, obj: models.Model | None = None) -> None:
    """403 unless `rules` lets `user` do `perm` (with `obj` when the decision depends on it)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


class LookedUpOnce(SingleObjectMixin):
    """A class-based view's object looked up once a request. rules' PermissionRequiredMixin asks for it
    (get_permission_object) before the view's get() or post() asks again: without this, two identical
    queries, or more when the scope joins the object's relations."""

    def get_object(self, queryset=None):
        if queryset is not None:
            return super().get_object(queryset)
        if "_looked_up" not in self.__dict__:
            self._looked_up = super().get_object()
        return self._looked_up
