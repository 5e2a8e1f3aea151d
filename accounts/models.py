from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from simple_history.models import HistoricalRecords

from accounts import roles


class UserQuerySet(models.QuerySet):
    def in_role(self, role: str):
        return self.filter(groups__name=role, is_active=True).distinct()

    def ocos(self):
        return self.in_role(roles.OCO)

    def sros(self):
        return self.in_role(roles.SRO)


class RegisterUserManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser):
    job_title = models.CharField(max_length=150, blank=True)
    department = models.CharField(max_length=150, blank=True)
    is_budget_holder = models.BooleanField(
        "budget holder",
        default=False,
        help_text="Holds a budget: the preferred SRO for a strategic contract.",
    )

    # Role changes (group membership, staff and active flags) are audited.
    history = HistoricalRecords(m2m_fields=["groups"], excluded_fields=["last_login", "password"])

    objects = RegisterUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _role_names(self) -> frozenset[str]:
        # Cached per request-bound instance: several checks on one page cost one query.
        if not hasattr(self, "_role_names_cache"):
            self._role_names_cache = frozenset(self.groups.values_list("name", flat=True))
        return self._role_names_cache

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self._role_names()

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.is_superuser or self.is_staff)

    @property
    def is_procurement(self) -> bool:
        return self.has_role(roles.PROCUREMENT)

    @property
    def is_oco(self) -> bool:
        return self.has_role(roles.OCO)

    @property
    def is_sro(self) -> bool:
        return self.has_role(roles.SRO)

    @property
    def sees_everything(self) -> bool:
        """The Procurement Unit and administrators see the whole register."""
        return self.is_administrator or self.is_procurement
