"""The timeline's kinds are a registry (`Activity.Kind`) that the field reads through a function: a new
kind needs no migration, yet every reader (the log, History, the admin's filter, the form's validation)
still shows its label and refuses a code that is not a kind."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.urls import reverse

from contracts.models import Activity
from contracts.services.timeline import timeline_record
from core.audit import history_entries


def _changes_to_contracts() -> dict:
    """What `makemigrations contracts` would write now (nothing, when the models match their migrations)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    autodetector = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps))
    return autodetector.changes(graph=loader.graph, trim_to_apps={"contracts"}, convert_apps={"contracts"})


def test_a_new_timeline_kind_needs_no_migration_and_is_shown_and_accepted_by_its_label(db, monkeypatch, contract):
    kinds = [(kind.name, (kind.value, kind.label)) for kind in Activity.Kind]
    extended = models.TextChoices("Kind", [*kinds, ("CONTRACT_AUDITED", ("contract_audited", "Contract audited"))])
    monkeypatch.setattr(Activity, "Kind", extended)

    assert _changes_to_contracts() == {}
    entry = timeline_record(contract=contract, kind="contract_audited", summary="Audited by internal audit")
    entry.full_clean()
    assert entry.get_kind_display() == "Contract audited"


def test_a_code_that_is_not_a_kind_is_refused(contract):
    entry = Activity(contract=contract, kind="not_a_kind", summary="Something")
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "kind" in refused.value.message_dict


def test_history_and_the_admin_filter_show_the_kind_in_words(client, admin_user, contract):
    entry = timeline_record(contract=contract, kind=Activity.Kind.LATE_PAYMENT, summary="Invoice 17 paid in 64 days")

    (created,) = history_entries(entry.history.all())
    assert {change.label: change.new for change in created.changes}["Kind"] == "Supplier paid late"

    client.force_login(admin_user)
    page = client.get(reverse("admin:contracts_activity_changelist")).content.decode()
    assert "?kind__exact=late_payment" in page and "Supplier paid late" in page
