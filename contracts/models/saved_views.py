"""A person's named set of register filters and sort order, private or shared with everyone."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SavedViewQuerySet(models.QuerySet["SavedView"]):
    def visible_to(self, user):
        """One's own views and those shared with everyone. A view keeps only filters: each person
        who opens it sees the contracts of the register they may see, no more."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(shared=True))


class SavedView(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=80)
    # The register's query string: only its filter and sort parameters (SavedViewForm cleans it).
    query = models.CharField(max_length=1000, blank=True)
    shared = models.BooleanField("shared with everyone", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_saved_view_name_per_person")]

    def __str__(self) -> str:
        return self.name
