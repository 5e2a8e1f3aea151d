"""Figures that may be a few minutes old, kept in Django's cache and shown with their age."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class Cached:
    value: Any
    computed_at: datetime


def cached(name: str, *, key: dict, compute: Callable[[], Any]) -> Cached:
    """The value for `key`, computed at most every DASHBOARD_CACHE_SECONDS (0 turns caching off)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return Cached(value=compute(), computed_at=timezone.now())
    digest = hashlib.sha256(repr(sorted(key.items())).encode()).hexdigest()[:32]
    cache_key = f"dashboard:{name}:{digest}"
    found = cache.get(cache_key)
    if found is None:
        found = Cached(value=compute(), computed_at=timezone.now())
        cache.set(cache_key, found, seconds)
    return found
