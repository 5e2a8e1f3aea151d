from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.signals import post_create_historical_m2m_records, pre_create_historical_m2m_records
from simple_history.utils import get_m2m_field_name

from accounts import roles
from core.formatting import long_date
from core.history import HistoricalRecords


class UserQuerySet(models.QuerySet["User"]):
    def in_role(self, role: str):
        people = self.filter(groups__name=role, is_active=True)
        if role != roles.SUPPLIER:  # a supplier's person holds no role of the force's (User.has_role)
            people = people.exclude(groups__name=roles.SUPPLIER)
        return people.distinct()

    def ocos(self):
        return self.in_role(roles.OCO)

    def sros(self):
        return self.in_role(roles.SRO)

    def without_current_training(self, *, on):
        """People without current commercial-awareness training on `on` (the policy asks it of every OCO)."""
        current = TrainingRecord.objects.commercial_awareness().current(on=on)
        return self.exclude(pk__in=current.values("user"))


class RegisterUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]  # the plugin types no subclass of from_queryset()
    use_in_migrations = True


class RoleHistory(HistoricalRecords):
    """simple-history's record of a person, with a copy of their group memberships read as ids.

    simple-history copies the memberships by first reading the person's excluded fields again, then each
    membership row with the person and the group joined, building a person for every row: on each save
    of a person (a sign-up, a role given or taken away), two heavier queries than the one copy needs."""

    def create_historical_record_m2ms(self, history_instance, instance):
        if history_instance.history_type == "+":
            return  # a person just created is in no group yet: nothing to copy
        for field in history_instance._history_m2m_fields:
            copy = self.m2m_models[field]
            through = getattr(instance, field.name).through
            columns = [f.attname for f in through._meta.fields]
            memberships = through._default_manager.filter(**{get_m2m_field_name(field): instance.pk})
            rows = [copy(history=history_instance, **row) for row in memberships.values(*columns)]
            pre_create_historical_m2m_records.send(
                sender=copy, rows=rows, history_instance=history_instance, instance=instance, field=field
            )
            created = copy._default_manager.bulk_create(rows)
            post_create_historical_m2m_records.send(
                sender=copy, created_rows=created, history_instance=history_instance, instance=instance, field=field
            )


class User(AbstractUser):
    job_title = models.CharField(max_length=150, blank=True)
    department = models.CharField(max_length=150, blank=True)
    is_budget_holder = models.BooleanField(
        "budget holder",
        default=False,
        help_text="Holds a budget: the preferred SRO for a strategic contract.",
    )

    # Role changes (group membership, staff and active flags) are audited.
    history = RoleHistory(m2m_fields=["groups"], excluded_fields=["last_login", "password"])

    objects: ClassVar[RegisterUserManager] = RegisterUserManager()

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
        names = self._role_names()
        # A supplier's person holds no role of the force's, even if given one by mistake.
        return self.is_active and role in names and (role == roles.SUPPLIER or roles.SUPPLIER not in names)

    @property
    def is_supplier(self) -> bool:
        """A supplier's person (the supplier portal's user): refused every page of the register and the API,
        whatever else they were given. Read from the group alone, active or not, so it fails closed."""
        return roles.SUPPLIER in self._role_names()

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.is_superuser or self.is_staff) and not self.is_supplier

    @property
    def is_procurement(self) -> bool:
        return self.has_role(roles.PROCUREMENT)

    @property
    def is_oco(self) -> bool:
        return self.has_role(roles.OCO)

    @property
    def is_sro(self) -> bool:
        return self.has_role(roles.SRO)

    def has_current_training(self, *, on) -> bool:
        """Current commercial-awareness training (the policy asks it of every OCO)."""
        return self.training_records.commercial_awareness().current(on=on).exists()

    @property
    def sees_everything(self) -> bool:
        """The Procurement Unit and administrators see the whole register."""
        return (self.is_administrator or self.is_procurement) and not self.is_supplier


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def current(self, *, on):
        """Completed by `on` and not expired on it (TrainingRecord.is_current, in the database)."""
        return self.filter(completed_on__lte=on).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=on)
        )

    def commercial_awareness(self):
        return self.filter(course=TrainingRecord.Course.COMMERCIAL_AWARENESS)


class TrainingRecord(models.Model):
    """A course a user completed: OCOs need current commercial-awareness training."""

    class Course(models.TextChoices):
        COMMERCIAL_AWARENESS = "commercial_awareness", "Commercial awareness (Procurement Unit)"
        OTHER = "other", "Other"

    class Level(models.TextChoices):
        FOUNDATION = "foundation", "Foundation"
        PRACTITIONER = "practitioner", "Practitioner"
        EXPERT = "expert", "Expert"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_records")
    course = models.CharField(max_length=30, choices=Course.choices, default=Course.COMMERCIAL_AWARENESS)
    course_name = models.CharField(max_length=200, blank=True, help_text="For other courses: its name.")
    level = models.CharField(max_length=15, choices=Level.choices, default=Level.FOUNDATION)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["user", "-completed_on"]
        constraints = [
            models.CheckConstraint(
                name="training_expires_after_completion",
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=models.F("completed_on")),
            )
        ]

    def __str__(self) -> str:
        name = self.course_name or self.get_course_display()
        return f"{self.user}: {name} ({self.get_level_display()}), {long_date(self.completed_on)}"

    def is_current(self, *, on) -> bool:
        """TrainingRecordQuerySet.current for one record already loaded."""
        return self.completed_on <= on and (self.expires_on is None or self.expires_on >= on)

    def clean(self):
        if self.expires_on and self.completed_on and self.expires_on <= self.completed_on:
            raise ValidationError({"expires_on": "Training expires after it is completed."})
        if self.course == self.Course.OTHER and not self.course_name.strip():
            raise ValidationError({"course_name": "Name the course."})
