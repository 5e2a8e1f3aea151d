"""Django's ModelBackend, loading the signed-in person with their role names in one query.

Every signed-in request reads the person and, for the supplier gate, the navigation and every rule, their
groups: two queries on each page. On PostgreSQL `get_user` reads both at once (`User.objects.with_role_names`);
`User._role_names` then asks nothing more. Elsewhere the groups are read on first use, as before."""

from django.contrib.auth import backends

from accounts.models import User


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        try:
            user = User.objects.with_role_names().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
