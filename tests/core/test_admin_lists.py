"""The admin's lists of the big tables (as big as the register or bigger, or growing for ever): no count
of every row beside the filtered count, and no date drill-down (a query per level); a date filter
instead, which costs none."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests import factories

BIG_TABLES = [
    "contracts.Contract",
    "contracts.ContractAssignment",
    "contracts.KraljicAssessment",
    "contracts.KraljicScore",
    "contracts.ReviewItem",
    "suppliers.Supplier",
    "suppliers.SupplierContact",
    "meetings.Meeting",
    "meetings.Action",
    "contracts.Activity",
    "meetings.ContractMeetingPlan",
    "performance.Kpi",
    "performance.KpiResult",
    "performance.Milestone",
    "performance.MiReport",
    "performance.RatingMonth",
    "notifications.Notification",
    "notifications.ReminderLedger",
    "notifications.Heartbeat",
    "notifications.JobRun",
    "notifications.DigestSent",
]


@pytest.mark.parametrize("label", BIG_TABLES)
def test_a_big_tables_admin_list_counts_and_drills_down_nothing(label):
    model_admin = admin.site._registry[apps.get_model(label)]
    assert model_admin.show_full_result_count is False
    assert model_admin.date_hierarchy is None


def test_the_contract_changelist_costs_the_same_for_1_and_30_contracts(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    url = reverse("admin:contracts_contract_changelist")
    factories.ContractFactory()
    with django_assert_max_num_queries(20) as one:
        page = client.get(url, {"q": "CON"}).content.decode()
    assert "1 result" in page and " total)" not in page  # the filtered count only
    factories.ContractFactory.create_batch(29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url, {"q": "CON"}).status_code == 200
