"""A supplier's person changes their password inside the portal (its layout and navigation), with the
invitation's 12-character minimum; the register's password page stays closed to them."""

from django.urls import reverse

from tests.factories import PASSWORD
from tests.portal.conftest import sign_in_verified

NEW = "correct horse battery staple"


def test_the_portal_links_to_its_own_password_page(client, supplier1):
    sign_in_verified(client, supplier1)
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:password_change")}"' in home
    page = client.get(reverse("portal:password_change")).content.decode()
    assert "Supplier portal" in page and "At least 12 characters" in page
    assert 'aria-current="page"' in page
    assert client.get(reverse("accounts:password_change")).status_code == 403  # the register's, not theirs


def test_a_short_password_is_refused_next_to_the_field_and_the_old_one_still_works(client, supplier1):
    sign_in_verified(client, supplier1)
    data = {"old_password": PASSWORD, "new_password1": "short pass1", "new_password2": "short pass1"}
    response = client.post(reverse("portal:password_change"), data)
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    supplier1.refresh_from_db()
    assert supplier1.check_password(PASSWORD)


def test_a_wrong_old_password_is_refused(client, supplier1):
    sign_in_verified(client, supplier1)
    data = {"old_password": "not my password", "new_password1": NEW, "new_password2": NEW}
    response = client.post(reverse("portal:password_change"), data)
    assert response.status_code == 200 and "incorrectly" in response.content.decode()
    supplier1.refresh_from_db()
    assert not supplier1.check_password(NEW)


def test_the_password_is_changed_and_the_person_stays_signed_in(client, supplier1):
    sign_in_verified(client, supplier1)
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    response = client.post(reverse("portal:password_change"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Your password is changed." in response.content.decode()
    supplier1.refresh_from_db()
    assert supplier1.check_password(NEW)
    assert client.get(reverse("portal:home")).status_code == 200


def test_someone_of_the_force_is_refused(client, alice):
    client.force_login(alice)
    assert client.get(reverse("portal:password_change")).status_code == 403
