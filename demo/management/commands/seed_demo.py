"""`manage.py seed_demo`: the whole demo register, each app's part from its module in demo/."""

from django.db import transaction
from django.utils import timezone

from contracts import tasks as contract_tasks
from demo import key_suppliers as demo_key_suppliers
from demo import kraljic as demo_kraljic
from demo import lifecycle as demo_lifecycle
from demo import market as demo_market
from demo import meetings as meetings_demo
from demo import notices as demo_notices
from demo import payments as demo_payments
from demo import performance as performance_demo
from demo import portal as portal_demo
from demo import register as register_demo
from demo import remedies as remedies_demo
from demo import tasks as demo_tasks
from demo.guard import DemoDataCommand
from exchange import tasks as exchange_tasks
from meetings import tasks as meeting_tasks
from performance import tasks as performance_tasks


def _counts() -> dict[str, int]:
    return (
        register_demo.counts()
        | demo_lifecycle.counts()
        | meetings_demo.counts()
        | performance_demo.counts()
        | demo_market.counts()
        | demo_key_suppliers.counts()
        | remedies_demo.counts()
        | demo_payments.counts()
    )


class Command(DemoDataCommand):
    help = (
        "Fill the register with demo users, suppliers, contracts, documents, meetings, log entries, KPIs "
        "with their results, milestones and MI reports. "
        "Safe to run twice. For demonstration databases only: every demo user, a superuser among them, "
        "has the same published password."
    )

    def handle(self, *args, **options):
        before = _counts()
        today = timezone.localdate()
        with transaction.atomic():
            users = register_demo.seed(today=today)
            demo_kraljic.seed(today=today, users=users)
            demo_lifecycle.seed(today=today, users=users)
            meetings_demo.seed(today=today, users=users)
            performance_demo.seed(today=today, users=users)
            demo_notices.seed(today=today, users=users)
            demo_market.seed(today=today)
            demo_key_suppliers.seed(today=today, users=users)
            remedies_demo.seed(today=today, users=users)
            supplier_people = portal_demo.seed(today=today, password=register_demo.PASSWORD)
            demo_payments.seed(today=today, users=users)
        # The day's reminder jobs, run here as beat would run them each morning, so the demo users' bells
        # have something to show. Exactly-once: a second run sends nothing new.
        meeting_tasks.send_meeting_lead_time_reminders()
        meeting_tasks.send_meeting_reminders()
        contract_tasks.send_expiry_alerts()
        contract_tasks.send_training_reminders()
        performance_tasks.send_kpi_reminders()
        # MI reports late and milestones missed go on their contracts' timelines, as each morning.
        performance_tasks.record_late_mi_and_missed_milestones()
        exchange_tasks.send_performance_notice_reminders()
        # ... and what the demo users did about them since: each starts with a handful of tasks open.
        demo_tasks.seed(today=today)
        added = {name: count - before[name] for name, count in _counts().items()}
        if any(added.values()):
            summary = ", ".join(f"{count} {name}" for name, count in added.items() if count)
            self.stdout.write(self.style.SUCCESS(f"Demo register seeded: added {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo register already in place: nothing added."))
        self.stdout.write(f"\nLog in at {register_demo.SITE_URL} with the password {register_demo.PASSWORD}:")
        for username, first_name, last_name, job_title, _department, role in register_demo.USERS:
            self.stdout.write(f"  {username:<12} {role:<28} {first_name} {last_name}, {job_title}")
        for username, contract in supplier_people:
            self.stdout.write(
                f"  {username:<12} {'Supplier (at /supplier/)':<28} {contract.supplier}, "
                f"an MI report due on {contract.reference}"
            )
