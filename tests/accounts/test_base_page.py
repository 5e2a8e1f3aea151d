"""What every signed-in page pays for: the person, their roles, the bell and the navigation bar."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles


def _page(client, user, name: str) -> str:
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["alice", "sam", "priya", "admin_user"])
def test_a_plain_signed_in_page_costs_four_queries(client, persona, request, django_assert_max_num_queries):
    """The session, the person with their roles (one query), the page's own read and the bell's count."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    client.get(reverse("lifecycle:training_mine"))  # the first request after signing in may save the session
    with django_assert_max_num_queries(4):
        response = client.get(reverse("lifecycle:training_mine"))
    assert response.status_code == 200
    assert 'class="nav-user-name"' in response.content.decode()


def test_the_navigation_marks_the_section_of_each_page(client, priya):
    escalations = _page(client, priya, "escalations:list")
    tasks = _page(client, priya, "performance:tasks")
    escalations_link = (
        f'<a class="nav-link active" aria-current="page" href="{reverse("escalations:list")}">Escalations</a>'
    )
    tasks_link = (
        f'<a class="nav-link active" aria-current="page" href="{reverse("performance:tasks")}">Performance tasks</a>'
    )
    assert escalations_link in escalations and tasks_link not in escalations
    assert tasks_link in tasks and escalations_link not in tasks
    assert escalations.count('aria-current="page"') == tasks.count('aria-current="page"') == 1


def test_the_navigation_follows_the_persons_roles(client, alice, priya, admin_user):
    oco = _page(client, alice, "lifecycle:training_mine")
    procurement = _page(client, priya, "lifecycle:training_mine")
    administrator = _page(client, admin_user, "notifications:operations")
    assert ">My contracts</a>" in oco and reverse("dashboard:my_work") in oco
    assert reverse("imports:start") not in oco and reverse("dashboard:procurement") not in oco
    assert ">Contracts</a>" in procurement and reverse("imports:start") in procurement
    assert reverse("admin:index") not in procurement
    operations = f'<a class="dropdown-item active" aria-current="page" href="{reverse("notifications:operations")}">'
    assert reverse("admin:index") in administrator and operations in administrator


def test_a_role_taken_away_is_gone_on_the_next_request(client, priya):
    """The roles come with the person on each request: nothing of them is kept from one request to the next."""
    client.force_login(priya)
    assert client.get(reverse("dashboard:procurement")).status_code == 200
    priya.groups.remove(Group.objects.get(name=roles.PROCUREMENT))
    assert client.get(reverse("dashboard:procurement")).status_code == 403
    assert reverse("imports:start") not in client.get(reverse("lifecycle:training_mine")).content.decode()


def test_a_supplier_given_a_force_role_is_still_kept_to_the_portal(client, alice):
    """The supplier gate reads the roles loaded with the person: a supplier's person is refused the escalations."""
    alice.groups.add(Group.objects.get(name=roles.SUPPLIER))
    client.force_login(alice)
    assert client.get(reverse("contracts:list")).status_code == 403


def test_the_to_do_tab_counts_the_open_tasks_once(client, alice, django_assert_max_num_queries):
    """The bell and the "To do" tab show one count: the page's own, not a second COUNT by the bell."""
    client.force_login(alice)
    client.get(reverse("notifications:list"))
    with django_assert_max_num_queries(5):  # session, person, unread count, to-do count, (empty) page
        page = client.get(reverse("notifications:list")).content.decode()
    assert 'To do (<span id="todo-count">0</span>)' in page


def test_a_session_signed_in_before_the_backend_changed_stays_signed_in(client, alice):
    """A session that names Django's own ModelBackend (as every session did before accounts.backends
    replaced it) still finds its person after the upgrade: nobody is signed out by the deployment."""
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.context["user"] == alice


def test_a_wrong_password_is_checked_once(client, alice, settings, monkeypatch):
    """The person's backend refuses a wrong password for good: the legacy entry after it never checks it
    again (one password check per attempt)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    alice.set_password("right-password-2026")
    alice.save()
    checked = []
    verify = MD5PasswordHasher.verify
    monkeypatch.setattr(MD5PasswordHasher, "verify", lambda self, *args: checked.append(args[0]) or verify(self, *args))
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong-password"})
    assert response.status_code == 200  # the form again, with its message
    assert checked == ["wrong-password"]
    assert (
        client.post(reverse("accounts:login"), {"username": "alice", "password": "right-password-2026"}).status_code
        == 302
    )


@pytest.mark.parametrize(("url_name", "section"), [("contracts:list", "Contracts"), ("suppliers:list", "Suppliers")])
def test_the_register_and_suppliers_lists_mark_their_own_section(client, priya, url_name, section):
    client.force_login(priya)
    for _ in range(2):  # the register's list is served from its cache the second time
        page = client.get(reverse(url_name)).content.decode()
        assert f'<a class="nav-link active" aria-current="page" href="{reverse(url_name)}">{section}</a>' in page
