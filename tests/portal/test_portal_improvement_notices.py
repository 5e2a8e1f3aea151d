"""Improvement notices on the supplier portal: the OCO shares one with a reply-by date; the supplier's
people read what is meant for them (never the plan or the notes about the outcome) and reply with text and
an attachment; the reply is on the timeline and the notice's page, the OCO is told once, and a late reply is
accepted and marked late. Another supplier, and anyone of the force who may not see the contract, are refused."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Activity
from notifications.models import Kind, Notification
from performance import services as performance_services
from performance.models import ImprovementNotice, ImprovementNoticeReply
from tests.conftest import pdf_bytes
from tests.portal.conftest import sign_in_verified

NOW = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def notice(contract, alice):
    with time_machine.travel(NOW, tick=False):
        notice = performance_services.improvement_notice_issue(
            notice=ImprovementNotice(
                contract=contract,
                issued_on=dt.date(2026, 11, 20),
                failure="Cameras not repaired within five days",
                required_action="Repair every camera within five days",
                cure_by=dt.date(2026, 12, 31),
                outcome_notes="Internal: we may terminate if not cured",
            ),
            by=alice,
        )
    return notice


def _share(client, user, notice, respond_by="2026-12-18"):
    client.force_login(user)
    return client.post(
        reverse("supplier_access:improvement_notice_share", args=[notice.pk]), {"supplier_respond_by": respond_by}
    )


def _reply(client, notice, text="We have added a second engineer.", attachment=None):
    data = {"text": text}
    if attachment is not None:
        data["attachment"] = attachment
    return client.post(reverse("portal:improvement_notice", args=[notice.pk]), data)


@time_machine.travel(NOW, tick=False)
def test_shared_by_the_oco_the_supplier_reads_only_what_is_meant_for_them(client, notice, alice, supplier1, supplier2):
    sign_in_verified(client, supplier1)
    assert client.get(reverse("portal:improvement_notice", args=[notice.pk])).status_code == 404  # not shared yet
    share_page = _share_page(client, alice, notice)
    assert 'value="2026-12-31"' in share_page  # the reply-by date defaults to the cure period's end
    assert _share(client, alice, notice).status_code == 302
    assert Notification.objects.filter(recipient=supplier1, kind=Kind.SUPPLIER_NOTICE).count() == 1
    assert not Notification.objects.filter(recipient=supplier2).exists()  # another supplier hears nothing of it
    assert Activity.objects.about(notice).filter(summary__contains="shared with the supplier, reply by 18 Dec 2026")
    _share(client, alice, notice)  # the same date again: nobody is told twice
    assert Notification.objects.filter(recipient=supplier1, kind=Kind.SUPPLIER_NOTICE).count() == 1

    sign_in_verified(client, supplier1)
    home = client.get(reverse("portal:home")).content.decode()
    assert "improvement notice of 20 Nov 2026" in home and "Reply by 18 Dec 2026" in home
    page = client.get(reverse("portal:improvement_notice", args=[notice.pk])).content.decode()
    assert "Cameras not repaired within five days" in page and "Repair every camera" in page
    assert "18 Dec 2026" in page and "31 Dec 2026" in page
    assert "we may terminate" not in page


def _share_page(client, user, notice) -> str:
    client.force_login(user)
    return client.get(reverse("supplier_access:improvement_notice_share", args=[notice.pk])).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_reply_with_an_attachment_reaches_the_timeline_and_the_oco_once(client, notice, alice, sam, supplier1):
    _share(client, alice, notice)
    sign_in_verified(client, supplier1)
    response = _reply(client, notice, attachment=SimpleUploadedFile("plan.pdf", pdf_bytes("Our plan")))
    assert response.status_code == 302
    reply = ImprovementNoticeReply.objects.get(notice=notice)
    assert reply.author == supplier1 and reply.attachment_name == "plan.pdf" and not reply.late
    told = Notification.objects.filter(kind=Kind.NOTICE_REPLY)
    assert [n.recipient for n in told] == [alice]  # the OCO, once; not the SRO, not the supplier
    entry = Activity.objects.about(notice).get(summary__endswith="the supplier replied")
    assert entry.recorded_by == supplier1 and "second engineer" in entry.details
    # The supplier sees their reply and can fetch their attachment.
    page = client.get(reverse("portal:improvement_notice", args=[notice.pk])).content.decode()
    assert "We have added a second engineer." in page
    download = client.get(reverse("portal:improvement_notice_attachment", args=[reply.pk]))
    assert download.status_code == 200 and b"Our plan" in b"".join(download.streaming_content)
    # The OCO reads it on the notice's page and downloads the attachment.
    client.force_login(alice)
    oco_page = client.get(reverse("performance:improvement_notice", args=[notice.pk])).content.decode()
    assert "We have added a second engineer." in oco_page and "plan.pdf" in oco_page
    download = client.get(reverse("performance:improvement_notice_reply_attachment", args=[reply.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"


def test_a_reply_after_the_reply_by_date_is_accepted_and_marked_late(client, notice, alice, supplier1):
    with time_machine.travel(NOW, tick=False):
        _share(client, alice, notice)
    with time_machine.travel(dt.datetime(2026, 12, 19, 9, tzinfo=dt.UTC), tick=False):
        sign_in_verified(client, supplier1)
        page = client.get(reverse("portal:improvement_notice", args=[notice.pk])).content.decode()
        assert "The reply-by date has passed" in page
        assert _reply(client, notice).status_code == 302
    reply = ImprovementNoticeReply.objects.get(notice=notice)
    assert reply.late
    assert Activity.objects.about(notice).filter(summary__contains="late: the reply was due by 18 Dec 2026")
    client.force_login(alice)
    assert "Late" in client.get(reverse("performance:improvement_notice", args=[notice.pk])).content.decode()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ"), "is not an accepted file type"),
        (SimpleUploadedFile("plan.pdf", b"not a pdf"), "does not contain a PDF document"),
    ],
)
def test_a_bad_attachment_is_refused_next_to_the_field_and_nothing_is_lost(
    client, notice, alice, supplier1, upload, message
):
    _share(client, alice, notice)
    sign_in_verified(client, supplier1)
    response = _reply(client, notice, text="Our answer, kept", attachment=upload)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "Our answer, kept" in page
    assert not ImprovementNoticeReply.objects.exists()
    assert not Notification.objects.filter(kind=Kind.NOTICE_REPLY).exists()


@time_machine.travel(NOW, tick=False)
def test_a_reply_by_date_before_the_notice_is_refused_next_to_the_field(client, notice, alice, supplier1):
    response = _share(client, alice, notice, respond_by="2026-11-01")
    assert response.status_code == 200 and "on or after the notice was given" in response.content.decode()
    notice.refresh_from_db()
    assert notice.supplier_respond_by is None


@time_machine.travel(NOW, tick=False)
def test_another_supplier_and_an_outsider_of_the_force_are_refused(
    client, notice, alice, bob, sam, supplier1, supplier2
):
    _share(client, alice, notice)
    sign_in_verified(client, supplier1)
    _reply(client, notice, attachment=SimpleUploadedFile("plan.pdf", pdf_bytes("Our plan")))
    reply = ImprovementNoticeReply.objects.get()

    sign_in_verified(client, supplier2)
    assert client.get(reverse("portal:improvement_notice", args=[notice.pk])).status_code == 404
    assert _reply(client, notice, text="Not mine").status_code == 404
    assert client.get(reverse("portal:improvement_notice_attachment", args=[reply.pk])).status_code == 404
    assert client.get(reverse("performance:improvement_notice_reply_attachment", args=[reply.pk])).status_code == 403
    assert "Cameras" not in client.get(reverse("portal:home")).content.decode()
    assert ImprovementNoticeReply.objects.count() == 1

    client.force_login(bob)  # an OCO of another contract: the notice does not exist for him
    assert client.get(reverse("performance:improvement_notice_reply_attachment", args=[reply.pk])).status_code == 404
    assert client.get(reverse("supplier_access:improvement_notice_share", args=[notice.pk])).status_code == 404
    assert client.get(reverse("portal:improvement_notice_attachment", args=[reply.pk])).status_code == 403
    client.force_login(sam)  # the SRO reads the reply but does not share
    assert client.get(reverse("performance:improvement_notice_reply_attachment", args=[reply.pk])).status_code == 200
    assert client.get(reverse("supplier_access:improvement_notice_share", args=[notice.pk])).status_code == 403


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("many", [1, 12])
def test_the_notice_pages_hold_their_query_budget(
    client, notice, alice, supplier1, many, django_assert_max_num_queries
):
    _share(client, alice, notice)
    for n in range(many):
        ImprovementNoticeReply.objects.create(notice=notice, author=supplier1, text=f"Reply {n}")
    sign_in_verified(client, supplier1)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("portal:improvement_notice", args=[notice.pk]))
    assert f"Reply {many - 1}" in page.content.decode()
    client.force_login(alice)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("performance:improvement_notice", args=[notice.pk]))
    assert f"Reply {many - 1}" in page.content.decode()
