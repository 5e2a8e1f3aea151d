"""A supplier's person sees their own supplier's contracts on the portal and nothing of the register:
every scope answers nothing to them, every internal page and the API refuse them, and another
supplier's objects answer 404."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.models import Activity, Contract, Escalation, EscalationUpdate
from contracts.services import document_upload
from contracts.services.escalations import escalation_post, escalation_raise
from exchange.services.tokens import api_token_create
from meetings.models import Meeting
from notifications.models import Kind, Notification
from performance.models import Kpi, MiReport
from suppliers.models import Supplier
from tests.conftest import pdf_bytes
from tests.portal.conftest import mi_report_due, sign_in_verified


def test_the_registers_scopes_answer_nothing_to_a_supplier_even_named_or_given_a_role(contract, supplier1):
    # Named as the contract's OCO and put in the Procurement Unit by mistake: still nothing of the register.
    Contract.objects.filter(pk=contract.pk).update(oco=supplier1)
    supplier1.groups.add(Group.objects.get(name=roles.PROCUREMENT))
    supplier1.is_staff = True
    supplier1.save()
    supplier1.refresh_from_db()
    assert not supplier1.sees_everything and not supplier1.is_procurement and not supplier1.is_administrator
    assert supplier1 not in User.objects.in_role(roles.PROCUREMENT)  # never told what the Procurement Unit is told
    for model in (Contract, Supplier, Kpi, Meeting, Escalation, Activity):
        assert not model.objects.visible_to(supplier1).exists(), model.__name__
    assert not MiReport.objects.filter(contract__in=Contract.objects.visible_to(supplier1)).exists()


def test_the_portal_lists_only_their_own_suppliers_contracts(client, contract, other_contract, supplier1, alice):
    report = mi_report_due(contract, by=alice)
    mi_report_due(other_contract, by=alice, label="Bob's November")
    sign_in_verified(client, supplier1)
    page = client.get(reverse("portal:home")).content.decode()
    assert "CON-ALICE" in page and "November 2026" in page
    assert "CON-BOB" not in page and "Bob&#x27;s November" not in page
    assert client.get(reverse("portal:report", args=[report.pk])).status_code == 200


def test_another_suppliers_contract_and_report_answer_404(client, contract, other_contract, supplier1, bob):
    report = mi_report_due(other_contract, by=bob)
    sign_in_verified(client, supplier1)
    assert client.get(reverse("portal:contract", args=[other_contract.pk])).status_code == 404
    assert client.get(reverse("portal:report", args=[report.pk])).status_code == 404
    assert client.post(reverse("portal:report", args=[report.pk])).status_code == 404


def test_the_contract_page_shows_what_is_meant_for_the_supplier_and_no_internal_note(client, contract, supplier1):
    Contract.objects.filter(pk=contract.pk).update(operational_notes="Internal: consider re-tendering early")
    sign_in_verified(client, supplier1)
    page = client.get(reverse("portal:contract", args=[contract.pk])).content.decode()
    assert "Body-worn video" in page
    assert "re-tendering" not in page and "Kraljic" not in page and "Saving" not in page


@pytest.mark.parametrize(
    "url",
    [reverse("contracts:list"), reverse("suppliers:list"), reverse("notifications:list"), reverse("admin:index")],
)
def test_every_internal_page_refuses_a_supplier(client, contract, supplier1, url):
    sign_in_verified(client, supplier1)
    assert client.get(url).status_code == 403


def test_the_front_page_sends_a_supplier_to_the_portal(client, supplier1):
    sign_in_verified(client, supplier1)
    assert client.get("/")["Location"] == reverse("portal:home")


def test_the_api_refuses_a_supplier_with_the_session_or_a_token(client, contract, supplier1):
    sign_in_verified(client, supplier1)
    assert client.get(reverse("api:contract-list")).status_code == 403
    _, key = api_token_create(user=supplier1, name="sneaky", expires_at=timezone.now() + timedelta(days=1))
    client.logout()
    response = client.get(reverse("api:contract-list"), headers={"Authorization": f"Token {key}"})
    assert response.status_code == 403


def test_a_supplier_gives_the_second_factor_before_the_portal_whatever_the_setting(client, supplier1, settings):
    settings.REQUIRE_2FA = False
    client.force_login(supplier1)
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("accounts:verify"))


def test_the_force_cannot_open_the_portal(client, contract, alice, priya):
    for user in (alice, priya):
        client.force_login(user)
        assert client.get(reverse("portal:home")).status_code == 403
        assert client.get(reverse("portal:contract", args=[contract.pk])).status_code == 403


def test_only_the_documents_the_oco_shared_are_listed_and_downloaded(client, contract, supplier1, alice):
    def upload(name, kind, shared):
        return document_upload(
            contract=contract,
            kind=kind,
            upload=SimpleUploadedFile(name, pdf_bytes(name)),
            by=alice,
            shared_with_supplier=shared,
        )

    shared = upload("Service schedule.pdf", "schedule", True)
    internal = upload("Pricing analysis.pdf", "other", False)
    sign_in_verified(client, supplier1)
    page = client.get(reverse("portal:contract", args=[contract.pk])).content.decode()
    assert "Service schedule.pdf" in page and "Pricing analysis.pdf" not in page
    assert client.get(reverse("portal:document", args=[contract.pk, shared.pk])).status_code == 200
    assert client.get(reverse("portal:document", args=[contract.pk, internal.pk])).status_code == 404


def test_a_shared_escalation_shows_only_what_the_supplier_is_told_and_their_reply_joins_the_thread(
    client, contract, other_contract, supplier1, supplier2, alice, priya
):
    escalation = escalation_raise(
        escalation=Escalation(
            contract=contract, source=Escalation.Source.DISPUTE, title="Service credits", details="Secret strategy"
        ),
        by=alice,
    )
    escalation_post(escalation=escalation, by=priya, text="Internal: we may terminate")
    sign_in_verified(client, supplier1)
    assert client.get(reverse("portal:notice", args=[escalation.pk])).status_code == 404  # not shared yet
    client.force_login(alice)
    response = client.post(
        reverse("supplier_access:escalation_share", args=[escalation.pk]),
        {"supplier_notice": "Explain the March credits.", "supplier_respond_by": "2026-12-20"},
    )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=supplier1, kind=Kind.SUPPLIER_NOTICE).count() == 1
    sign_in_verified(client, supplier1)
    assert "Service credits" in client.get(reverse("portal:home")).content.decode()
    page = client.get(reverse("portal:notice", args=[escalation.pk])).content.decode()
    assert "Explain the March credits." in page and "20 Dec 2026" in page
    assert "Secret strategy" not in page and "we may terminate" not in page
    response = client.post(
        reverse("portal:notice", args=[escalation.pk]),
        {"text": "Our engineers were on strike.", "attachment": SimpleUploadedFile("letter.pdf", pdf_bytes("Letter"))},
    )
    assert response.status_code == 302
    reply = EscalationUpdate.objects.get(escalation=escalation, author=supplier1)
    assert reply.attachment_name == "letter.pdf"
    assert Notification.objects.filter(recipient=alice, kind=Kind.ESCALATION_UPDATE).exists()
    assert Activity.objects.about(escalation).filter(summary__startswith="Escalation updated", recorded_by=supplier1)
    assert (
        "Our engineers were on strike." in client.get(reverse("portal:notice", args=[escalation.pk])).content.decode()
    )
    # Their attachment is theirs to fetch again; another supplier's person is refused it and the notice.
    assert client.get(reverse("portal:notice_attachment", args=[reply.pk])).status_code == 200
    force_post = EscalationUpdate.objects.get(escalation=escalation, author=priya)
    assert client.get(reverse("portal:notice_attachment", args=[force_post.pk])).status_code == 404  # internal
    sign_in_verified(client, supplier2)
    assert client.get(reverse("portal:notice", args=[escalation.pk])).status_code == 404
    assert client.get(reverse("portal:notice_attachment", args=[reply.pk])).status_code == 404
