"""API tokens: made with a random key shown once, kept as its SHA-256 digest, compared in constant time.

Tokens made before digests (Django REST framework's authtoken table) had their keys replaced by a digest
in migration exchange 0003; they keep working until settings.API_LEGACY_TOKENS_UNTIL (docs/api.md)."""

import hmac
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User
from exchange.models import ApiToken, token_digest

LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write a minute for a busy token
LEGACY_KEY = re.compile(r"^[0-9a-f]{40}$")


def legacy_digest(key: str) -> str:
    """What migration 0003 kept of an authtoken key: its SHA-256, cut to the 40 characters the column holds."""
    return token_digest(key)[:40]


@transaction.atomic
def api_token_create(*, user: User, name: str, expires_at: datetime) -> tuple[ApiToken, str]:
    """A new token and its key: give the key to whoever uses the token; it is not kept and cannot be shown again."""
    token = ApiToken(user=user, name=name, expires_at=expires_at)
    key = token.set_new_key()
    token.save()
    return token, key


def api_token_user(*, key: str, now: datetime) -> User | None:
    """The user of a usable token with this key (and the token's last use recorded), or None."""
    digest = token_digest(key)
    candidates = ApiToken.objects.usable(now=now).filter(prefix=key[: ApiToken.PREFIX_LENGTH]).select_related("user")
    for token in candidates:
        if hmac.compare_digest(token.digest, digest):
            if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            return token.user
    if LEGACY_KEY.match(key) and now.date() <= settings.API_LEGACY_TOKENS_UNTIL:
        legacy = Token.objects.filter(key=legacy_digest(key), user__is_active=True).select_related("user").first()
        return legacy.user if legacy is not None else None
    return None
