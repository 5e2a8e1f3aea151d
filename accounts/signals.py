"""What signing in writes about the person."""

from django.utils import timezone


def stamp_last_login(sender, user, **kwargs) -> None:
    """The date of the last sign-in, written as that one column. Django's own receiver saves the whole
    person, and every save of a person writes a row of their audited history (with a copy of their roles,
    accounts.models.User.history): a sign-in changes nothing that history is kept for."""
    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)
