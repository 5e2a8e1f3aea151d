"""Reference data of the register: the force's spend categories and the Kraljic quadrants."""

from django.db import models


class Category(models.Model):
    """Reference data: the force's spend categories (edited in the admin)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Quadrant(models.TextChoices):
    """The Kraljic quadrants (the assessments live in contracts/models/kraljic.py)."""

    STRATEGIC = "strategic", "Strategic"
    LEVERAGE = "leverage", "Leverage"
    BOTTLENECK = "bottleneck", "Bottleneck"
    NON_CRITICAL = "non_critical", "Non-critical"
