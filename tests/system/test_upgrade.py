"""The upgrade (issue 13): a database made and filled by an older revision, migrated by this tree, keeps
every table's rows and every page's answers. scripts/upgrade_check.py does the work and `make test`
runs it (`make upgrade-check`, after pytest: it builds and migrates two databases, minutes of work that
would hold one xdist worker); these tests check that its comparisons catch what they are for."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

REPOSITORY = Path(__file__).resolve().parents[2]
SCRIPT = REPOSITORY / "scripts" / "upgrade_check.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("upgrade_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


upgrade_check = _load_script()


def test_a_changed_row_count_a_lost_table_and_a_filled_new_table_are_differences():
    old = {"contracts_contract": 50, "contracts_importjob": 2, "django_migrations": 90}
    new = {"contracts_contract": 49, "django_migrations": 95, "exchange_thing": 3, "exchange_empty": 0}

    problems = upgrade_check._compare_tables(old, new, allowed_new=set())

    assert problems == [
        "table contracts_contract: 50 rows before, 49 after",
        "table contracts_importjob: gone (it held 2 rows)",
        "table exchange_thing: new, with 3 rows (allow it with --allow-new-table exchange_thing)",
    ]
    assert upgrade_check._compare_tables(old | {"exchange_thing": 0}, new | {"contracts_importjob": 2}, set()) == [
        "table contracts_contract: 50 rows before, 49 after",
        "table exchange_thing: 0 rows before, 3 after",
    ]


def test_django_bookkeeping_may_grow_but_not_shrink():
    old = {"django_migrations": 90, "django_content_type": 60, "auth_permission": 240}

    assert upgrade_check._compare_tables(old, {**old, "django_migrations": 93, "auth_permission": 244}, set()) == []
    assert upgrade_check._compare_tables(old, {**old, "django_content_type": 59}, set()) == [
        "table django_content_type: 60 rows before, 59 after"
    ]


def test_a_page_answering_differently_is_a_difference_and_a_renamed_path_is_followed():
    old = {
        "oco1": {"/contracts/1/": [200, ""], "/admin/contracts/importjob/": [302, "/admin/login/"]},
        "admin": {"/contracts/1/": [200, ""], "/admin/contracts/importjob/": [200, ""]},
    }
    new = {
        "oco1": {"/contracts/1/": [404, ""], "/admin/exchange/importjob/": [302, "/admin/login/"]},
        "admin": {"/contracts/1/": [200, ""], "/admin/exchange/importjob/": [200, ""]},
    }

    problems = upgrade_check._compare_pages(old, new, {"/admin/contracts/importjob/": "/admin/exchange/importjob/"})

    assert problems == ["oco1          GET /contracts/1/: 200 before, 404 after"]
    assert len(upgrade_check._compare_pages(old, new, {})) == 3  # and the old admin path, not tried, twice


def test_rows_left_pointing_at_a_model_the_new_code_lacks_are_a_difference():
    old = {"stale": [], "referencing": {}}
    new = {"stale": ["contracts.importjob"], "referencing": {"django_admin_log.content_type_id": 3}}

    assert upgrade_check._compare_content_types(old, new) == [
        "3 rows of django_admin_log.content_type_id point at a content type whose model the new code does not have "
        "(contracts.importjob)"
    ]


def test_only_a_database_named_for_the_check_is_dropped():
    with pytest.raises(upgrade_check.CheckFailed, match="must contain 'upgrade'"):
        upgrade_check._database_name("postgres://postgres@127.0.0.1:5432/contract_register")
    assert upgrade_check._database_name("postgres://postgres@127.0.0.1:5432/cr_upgrade") == "cr_upgrade"
