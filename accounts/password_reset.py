"""Password reset e-mails, throttled in the cache (CACHE_URL: shared by every web process in production)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def allow(subject: str) -> bool:
    """Count one reset e-mail for `subject` (an address typed in, or an account); False past the hour's limit.
    The hour runs from the first e-mail counted."""
    key = "password-reset:" + hashlib.sha256(subject.encode()).hexdigest()  # no address kept in the cache
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        sent = 1
    return sent <= settings.PASSWORD_RESET_PER_HOUR
