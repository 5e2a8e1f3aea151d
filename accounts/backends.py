"""Django's ModelBackend, loading the signed-in person with their role names in one query.

Every signed-in request reads the person and, for the supplier gate, the navigation and every rule, their
groups: two queries on each page. On PostgreSQL `get_user` reads both at once (an array of the names of
their groups) and fills the cache `User._role_names` reads, so the page asks nothing more; elsewhere the
groups are read on first use, as before."""

from django.contrib.auth import backends
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef

from accounts.models import User


class ModelBackend(backends.ModelBackend):
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
