"""Supplier users: invited by the contract's OCO or the Procurement Unit, enrolled through a single-use
link valid 72 hours (a password of 12 characters or more, and an authenticator app), suspended by the
Procurement Unit. A contact removed from the supplier loses their account (suppliers.services)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import roles
from accounts.models import User
from core.audit import history_user_set
from notifications.services import email_delivery_save
from portal.models import Invitation
from suppliers.models import SupplierContact
from suppliers.services import supplier_user_deactivate

VALID_FOR = timedelta(hours=72)
MIN_PASSWORD_LENGTH = 12


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class Sent:
    invitation: Invitation
    link: str


@transaction.atomic
def invitation_send(*, contact: SupplierContact, by: User, now: datetime) -> Sent:
    """E-mail the contact a link to join the supplier portal; earlier links of theirs stop working.
    Refused for a contact without an e-mail address, or whose account was suspended."""
    contact = (
        SupplierContact.objects.select_for_update(of=("self",)).select_related("user", "supplier").get(pk=contact.pk)
    )
    if not contact.email:
        raise ValidationError("Add the contact's e-mail address before inviting them.")
    if contact.user is not None and not contact.user.is_active:
        raise ValidationError(f"{contact.name}'s account is suspended: it cannot be invited again.")
    Invitation.objects.filter(contact=contact, used_at__isnull=True).update(used_at=now)
    key = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        contact=contact, email=contact.email, digest=_digest(key), expires_at=now + VALID_FOR, created_by=by
    )
    link = settings.SITE_URL + reverse("portal:welcome", args=[key])
    context = {"contact": contact, "link": link, "by": by, "expires_at": invitation.expires_at}
    body = render_to_string("portal/email/invitation.txt", context)
    subject = f"{contact.supplier}: your access to the supplier portal"
    transaction.on_commit(lambda: send_mail(subject, body, None, [contact.email]))
    return Sent(invitation=invitation, link=link)


def invitation_open(*, key: str, now: datetime) -> Invitation | None:
    """The usable invitation with this key: not used, not expired, its contact not suspended."""
    invitation = (
        Invitation.objects.select_related("contact__supplier", "contact__user").filter(digest=_digest(key)).first()
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        return None
    user = invitation.contact.user
    if user is not None and not user.is_active:
        return None
    return invitation


def password_check(password: str, *, user: User | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Your password must have at least {MIN_PASSWORD_LENGTH} characters.")
    validate_password(password, user)


@transaction.atomic
def invitation_accept(*, key: str, password: str, now: datetime) -> User:
    """Enrol: the invitation is used up and the contact's account made (or its password replaced). The
    authenticator app comes next: accounts.middleware sends a supplier's person without one to set it up
    before any page. Raises ValidationError if the link no longer works (used, expired, suspended)."""
    invitation = invitation_open(key=key, now=now)
    if invitation is None:
        raise ValidationError("This link no longer works.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:  # used at the same moment by another request
        raise ValidationError("This link no longer works.")
    contact = invitation.contact
    user = contact.user or User(username=_username(contact), email=invitation.email)
    password_check(password, user=user)
    first, _, last = contact.name.partition(" ")
    user.first_name, user.last_name, user.email = first[:150], last[:150], invitation.email
    user.set_password(password)
    history_user_set(user, None)
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.SUPPLIER)[0])
    if contact.user_id is None:
        contact.user = user
        contact.save(update_fields=["user"])
    email_delivery_save(user=user, delivery="each")  # they never see the in-app list: e-mail at once
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    return user


def _username(contact: SupplierContact) -> str:
    base = contact.email.split("@")[0][:100] or "supplier"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


@transaction.atomic
def supplier_user_suspend(*, contact: SupplierContact, by: User) -> None:
    """The Procurement Unit suspends a supplier's person: they can no longer sign in, and their links stop."""
    if contact.user is None:
        raise ValidationError(f"{contact.name} has no account on the supplier portal.")
    Invitation.objects.filter(contact=contact, used_at__isnull=True).delete()
    supplier_user_deactivate(user=contact.user, by=by)
