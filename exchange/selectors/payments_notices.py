"""Section 69 payments compliance notices (Find a Tender's notice type UK8): one for each six-month reporting
period that has ended, due 30 days after it, with the force's figures for the invoices paid in it, the
approval of the finance director (or equivalent) and its publication; and each notice's OCDS release,
built by the one notice builder (exchange/selectors/notice_releases.py).

The notice is about the force, not a contract: its release has the force as its only party, and the
figures in the notice document's description (no OCDS extension Find a Tender declares has fields for
them; docs/guide.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import ngettext

from core.formatting import long_date
from exchange.models import NoticePublication, PaymentComplianceApproval
from exchange.selectors.notice_releases import NoticeType, notice_release
from exchange.selectors.payments import compliance_periods


@dataclass(frozen=True)
class ComplianceNotice:
    period_start: date
    period_end: date
    due_on: date
    figures: dict[str, Any]
    approval: PaymentComplianceApproval | None
    publication: NoticePublication | None

    @property
    def key(self) -> str:
        return f"{self.period_start:%Y-%m-%d}"

    @property
    def period_text(self) -> str:
        return f"{long_date(self.period_start)} to {long_date(self.period_end)}"

    def state(self, today: date) -> tuple[str, str, str]:
        """(Bootstrap colour, badge word, detail), as the other notices' lists show it."""
        if self.publication:
            return "success", "Published", f"on {long_date(self.publication.published_on)}"
        days = (self.due_on - today).days
        if days < 0:
            return "danger", "Overdue", ngettext("by %(n)d day", "by %(n)d days", -days) % {"n": -days}
        if days == 0:
            return "warning", "Due", "today"
        return "warning", "Due", ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}


def compliance_notices(*, today: date) -> list[ComplianceNotice]:
    """The notice of every reporting period that has ended, the latest first: three queries, whatever
    the number of periods (the figures, the approvals, the publications)."""
    periods = [p for p in compliance_periods(today=today) if p["ended"]]
    starts = [p["period_start"] for p in periods]
    approvals = {a.period_start: a for a in PaymentComplianceApproval.objects.filter(period_start__in=starts)}
    publications = {
        p.reporting_period_start: p
        for p in NoticePublication.objects.filter(reporting_period_start__in=starts).select_related("recorded_by")
    }
    return [
        ComplianceNotice(
            period_start=p["period_start"],
            period_end=p["period_end"],
            due_on=p["due_on"],
            figures=p,
            approval=approvals.get(p["period_start"]),
            publication=publications.get(p["period_start"]),
        )
        for p in periods
    ]


def compliance_notice(*, period_start: date, today: date) -> ComplianceNotice | None:
    """The notice of the ended reporting period that begins on `period_start`, or None."""
    return next((n for n in compliance_notices(today=today) if n.period_start == period_start), None)


def payments_compliance_description(notice: ComplianceNotice) -> str:
    """The notice's figures in words (the Act's: the shares paid within 30 days, in 31 to 60 and in 61 or
    more, and the average days to pay), and who approved it."""
    f = notice.figures
    if not f["invoices"]:
        text = f"Payments compliance, {notice.period_text}: no invoice paid in the period."
    else:
        text = (
            f"Payments compliance, {notice.period_text}: "
            + ngettext("%(n)d invoice paid", "%(n)d invoices paid", f["invoices"]) % {"n": f["invoices"]}
            + f"; {f['within_30_percent']}% within 30 days, {f['within_60_percent']}% in 31 to 60 days, "
            f"{f['over_60_percent']}% in 61 days or more; {f['average_days']} days on average to pay "
            "(invoices paid in the period; time in dispute not counted)."
        )
    if notice.approval:
        a = notice.approval
        text += f" Approved by {a.approver_name} ({a.approver_role}) on {long_date(a.approved_on)}."
    return text


def payments_compliance_release(notice: ComplianceNotice, *, on: date) -> dict:
    """The UK8 notice of a reporting period, as an OCDS release."""
    return notice_release(
        contract=None,
        notice_type=NoticeType.PAYMENTS_COMPLIANCE,
        key=notice.key,
        on=on,
        title=notice.period_text,
        description=payments_compliance_description(notice),
    )
