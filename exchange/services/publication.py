"""Procurement Act notices published on Find a Tender: recording each one with its notice identifier,
and confirming it against Find a Tender's public OCDS API.

Recording (`*_notice_publish`) does what recording the publication date always did (the notice's own
record, its timeline entry, the task it answers) and keeps the identifier in a NoticePublication.
The hourly job (`notice_publications_confirm`) asks Find a Tender for each recorded notice not yet
confirmed: `GET {FIND_A_TENDER_API}/ocdsReleasePackages/{noticeId}`. Found, it records the
procurement's ocid (on the contract too, when the contract has none yet) and puts the confirmation on
the contract's timeline. Not found, or Find a Tender unreachable or failing, it records why and tries
again later, waiting twice as long each time (RETRY_FIRST_WAIT up to RETRY_LONGEST_WAIT); the job's run
then needs attention on the Operations page, naming each notice."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from contracts.models import Activity, Contract, ContractEnding, Variation
from contracts.services import termination_notice_published, variation_notice_published
from contracts.services.timeline import timeline_record
from exchange.models import NoticePublication, PaymentComplianceApproval
from exchange.selectors.notices import PerformanceNoticeData
from exchange.selectors.payments_notices import ComplianceNotice
from exchange.services.notices import performance_notice_record
from notifications.services import JobProgress

logger = logging.getLogger(__name__)

RETRY_FIRST_WAIT = timedelta(minutes=30)
RETRY_LONGEST_WAIT = timedelta(days=1)
# Find a Tender's answers are small; anything larger is not a release package.
LARGEST_ANSWER_BYTES = 5 * 1024 * 1024


# --- Recording ------------------------------------------------------------------------------------


def _publication(
    *, notice_type: str, contract: Contract | None, subject: dict, notice_id: str, published_on: date, by: User
) -> NoticePublication:
    """Create or update the notice's NoticePublication; a new identifier is checked afresh."""
    publication = NoticePublication.objects.select_for_update().filter(**subject).first()
    if publication is None:
        return NoticePublication.objects.create(
            notice_type=notice_type,
            contract=contract,
            notice_id=notice_id,
            published_on=published_on,
            recorded_by=by,
            **subject,
        )
    if publication.notice_id != notice_id:
        publication.notice_id = notice_id
        publication.confirmed_at, publication.ocid, publication.attempts = None, "", 0
        publication.next_attempt_at, publication.last_error = None, ""
    publication.published_on, publication.recorded_by = published_on, by
    publication.save()
    return publication


@transaction.atomic
def performance_notice_publish(
    *, notice: PerformanceNoticeData, notice_id: str, published_on: date, by: User
) -> NoticePublication:
    record = performance_notice_record(notice=notice, published_on=published_on, by=by)
    return _publication(
        notice_type=NoticePublication.NoticeType.PERFORMANCE,
        contract=notice.contract,
        subject={"performance_notice": record},
        notice_id=notice_id,
        published_on=published_on,
        by=by,
    )


@transaction.atomic
def change_notice_publish(*, variation: Variation, notice_id: str, published_on: date, by: User) -> NoticePublication:
    variation_notice_published(variation=variation, on=published_on, by=by)
    return _publication(
        notice_type=NoticePublication.NoticeType.CHANGE,
        contract=variation.contract,
        subject={"variation": variation},
        notice_id=notice_id,
        published_on=published_on,
        by=by,
    )


@transaction.atomic
def termination_notice_publish(
    *, ending: ContractEnding, notice_id: str, published_on: date, by: User
) -> NoticePublication:
    termination_notice_published(ending=ending, on=published_on, by=by)
    return _publication(
        notice_type=NoticePublication.NoticeType.TERMINATION,
        contract=ending.contract,
        subject={"ending": ending},
        notice_id=notice_id,
        published_on=published_on,
        by=by,
    )


@transaction.atomic
def payments_compliance_notice_publish(
    *, notice: ComplianceNotice, notice_id: str, published_on: date, by: User
) -> NoticePublication:
    """Section 69: the notice is published once the finance director (or equivalent) has approved it."""
    if not PaymentComplianceApproval.objects.filter(period_start=notice.period_start).exists():
        raise ValidationError(
            "Record the finance director's approval of the notice (on the Payments compliance page) before "
            "recording it as published."
        )
    return _publication(
        notice_type=NoticePublication.NoticeType.PAYMENTS_COMPLIANCE,
        contract=None,
        subject={"reporting_period_start": notice.period_start},
        notice_id=notice_id,
        published_on=published_on,
        by=by,
    )


# --- Confirming -----------------------------------------------------------------------------------


class NotConfirmed(Exception):
    """Find a Tender did not confirm the notice: the message says why, in the Procurement Unit's words."""


@dataclass(frozen=True)
class Found:
    ocid: str


def release_package_url(notice_id: str) -> str:
    return f"{settings.FIND_A_TENDER_API}/ocdsReleasePackages/{notice_id}"


def find_a_tender_notice(notice_id: str) -> Found:
    """The notice's release package from Find a Tender's public API; NotConfirmed when there is none."""
    # S310: the address is settings.FIND_A_TENDER_API, which the settings hold to http(s).
    request = urllib.request.Request(  # noqa: S310
        release_package_url(notice_id),
        headers={"Accept": "application/json", "User-Agent": "contract-register (notice publication check)"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.FIND_A_TENDER_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(LARGEST_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise NotConfirmed("Find a Tender has no notice with this identifier (404).") from None
        raise NotConfirmed(f"Find a Tender answered with an error ({error.code}).") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise NotConfirmed(f"Find a Tender could not be reached ({reason}).") from None
    if len(body) > LARGEST_ANSWER_BYTES:
        raise NotConfirmed("Find a Tender's answer was too large to be a release package.")
    try:
        package = json.loads(body)
    except ValueError:
        raise NotConfirmed("Find a Tender's answer was not JSON.") from None
    releases = package.get("releases") if isinstance(package, dict) else None
    ocids = [r["ocid"] for r in releases or [] if isinstance(r, dict) and isinstance(r.get("ocid"), str) and r["ocid"]]
    if not ocids:
        raise NotConfirmed("Find a Tender's answer had no release with a procurement identifier (ocid).")
    return Found(ocid=ocids[0])


def retry_wait(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 30 minutes, then twice as long each time, at most a day."""
    return min(RETRY_FIRST_WAIT * 2 ** max(attempts - 1, 0), RETRY_LONGEST_WAIT)


def _confirm_one(pk: int, *, now: datetime) -> str | None:
    """Check one notice, in its own transaction (locked: two workers never check the same one).
    Returns "" when confirmed, why not when it was not, None when another worker has it or it is done."""
    with transaction.atomic():
        publication = (
            NoticePublication.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("contract")
            .filter(pk=pk)
            .to_confirm(now=now)
            .first()
        )
        if publication is None:
            return None
        contract = publication.contract  # None for the force's payments compliance notice
        try:
            found = find_a_tender_notice(publication.notice_id)
            if contract is not None and contract.find_a_tender_ocid and contract.find_a_tender_ocid != found.ocid:
                raise NotConfirmed(
                    f"The notice is about procurement {found.ocid}, not {contract.find_a_tender_ocid} "
                    "recorded on the contract: check the notice identifier."
                )
        except NotConfirmed as reason:
            publication.attempts += 1
            publication.last_error = str(reason)[:300]
            publication.next_attempt_at = now + retry_wait(publication.attempts)
            publication.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return str(reason)
        publication.confirmed_at, publication.ocid = now, found.ocid
        publication.attempts += 1
        publication.last_error, publication.next_attempt_at = "", None
        publication.save(update_fields=["confirmed_at", "ocid", "attempts", "last_error", "next_attempt_at"])
        if contract is None:
            return ""
        if not contract.find_a_tender_ocid:
            contract.find_a_tender_ocid = found.ocid
            contract.save(update_fields=["find_a_tender_ocid", "updated_at"])
        timeline_record(
            contract=contract,
            kind=Activity.Kind.NOTICE_PUBLISHED,
            summary=f"{publication.get_notice_type_display()} {publication.notice_id} confirmed on Find a Tender "
            f"(procurement {found.ocid})",
            subject=publication,
            by=None,
            occurred_on=now.date(),
        )
    return ""


def notice_publications_confirm(*, now: datetime, progress: JobProgress | None = None) -> int:
    """Check every recorded notice due a check; returns how many were confirmed. Each failure is named
    in `progress` (the run needs attention) and tried again after its wait."""
    progress = progress or JobProgress()
    confirmed = 0
    for pk, notice_id, reference, period_start in (
        NoticePublication.objects.to_confirm(now=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "notice_id", "contract__reference", "reporting_period_start")
    ):
        reference = reference or f"Payments compliance from {period_start:%-d %b %Y}"
        reason = _confirm_one(pk, now=now)
        if reason is None:
            continue
        if reason:
            progress.fail(f"{reference} notice {notice_id}: {reason}")
            logger.warning("Notice %s of %s not confirmed: %s", notice_id, reference, reason)
        else:
            confirmed += 1
    waiting = NoticePublication.objects.failing().count()
    progress.detail = f"{confirmed} notice{'s' if confirmed != 1 else ''} confirmed on Find a Tender." + (
        f" {waiting} waiting to be tried again." if waiting else ""
    )
    return confirmed
