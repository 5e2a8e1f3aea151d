"""Sessions saved only when they change, or when the last save is more than a minute old.

Django's SESSION_SAVE_EVERY_REQUEST wrote the session on every request (an UPDATE and its savepoint:
3 of the register list's 10 queries) to push the idle expiry forward. Here the session keeps the time
of its last save, and a request re-saves it only when that is SESSION_REFRESH_SECONDS old: a session
still ends after SESSION_COOKIE_AGE (eight hours) without a request, never later, and at most
SESSION_REFRESH_SECONDS sooner."""

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

SAVED_AT = "_saved_at"


class RefreshingSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(SAVED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SAVED_AT] = now  # marks it modified: Django saves it and sends the cookie again
        return super().process_response(request, response)


def stamp_on_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in saves the session: stamp it then, so the next request need not save it again."""
    if request is not None and hasattr(request, "session"):
        request.session[SAVED_AT] = int(time.time())
