"""Django's ModelBackend, loading the signed-in person with their role names in one query.

Every signed-in request reads the person and, for the supplier gate, the navigation and every rule, their
groups: two queries on each page. On PostgreSQL `get_user` reads both at once (an array of the names of
their groups) and fills the cache `User._role_names` reads, so the page asks nothing more; elsewhere the
groups are read on first use, as before. The query is written once, as SQL (the ORM would build and
compile the same subquery again on every request, a millisecond each).

Django's own ModelBackend stays listed after it (config/settings.py) only so that a session signed in
before this backend existed, which names Django's, still finds its person: this one refuses a wrong
password for good (PermissionDenied ends the sign-in), so no password is ever checked twice."""

from django.contrib.auth import backends
from django.core.exceptions import PermissionDenied
from django.db import connection

from accounts.models import User

# A person's row and the names of their groups, by the person's id (PostgreSQL): accounts.User's table,
# its membership table and Django's Group's.
PERSON_WITH_ROLES = """
    SELECT person.*, ARRAY(
        SELECT role.name FROM auth_group role JOIN accounts_user_groups member ON member.group_id = role.id
        WHERE member.user_id = person.id
    ) AS role_names
    FROM accounts_user person
    WHERE person.id = %s"""


class ModelBackend(backends.ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied  # refused here: the legacy entry after this one must not check it again
        return user

    def get_user(self, user_id):
        if connection.vendor != "postgresql":
            return super().get_user(user_id)
        user = next(iter(User.objects.raw(PERSON_WITH_ROLES, [user_id])), None)
        if user is None:
            return None
        user._role_names_cache = frozenset(user.role_names)  # what User._role_names reads
        return user if self.user_can_authenticate(user) else None
