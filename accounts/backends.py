"""Django's ModelBackend, loading the signed-in person with their role names in one query.

Every signed-in request reads the person and, for the supplier gate, the navigation and every rule, their
groups: two queries on each page. On PostgreSQL `get_user` reads both at once (an array of the names of
their groups) and fills the cache `User._role_names` reads, so the page asks nothing more; elsewhere the
groups are read on first use, as before.

Django's own ModelBackend stays listed after it (config/settings.py) only so that a session signed in
before this backend existed, which names Django's, still finds its person: this one refuses a wrong
password for good (PermissionDenied ends the sign-in), so no password is ever checked twice."""

from django.contrib.auth import backends
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import OuterRef

from accounts.models import User


class ModelBackend(backends.ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied  # refused here: the legacy entry after this one must not check it again
        return user

    def get_user(self, user_id):
        people = User.objects.all()
        if connection.vendor == "postgresql":
            names = Group.objects.filter(user=OuterRef("pk")).values("name")
            people = people.annotate(role_names=ArraySubquery(names))
        try:
            user = people.get(pk=user_id)
        except User.DoesNotExist:
            return None
        if hasattr(user, "role_names"):
            user._role_names_cache = frozenset(user.role_names)  # what User._role_names reads
        return user if self.user_can_authenticate(user) else None
