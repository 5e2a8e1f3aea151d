"""Reading Companies House: the API client (against a stub server: basic auth, 404, 429 with
Retry-After, 5xx with backoff, the rate limit), the monthly snapshot in its real layout, and which
statuses are concerns."""

import datetime as dt
import time
import zipfile

import pytest

from suppliers.companies_house import (
    CompaniesHouseClient,
    CompaniesHouseError,
    SnapshotError,
    company_number_normalise,
    concerns_of,
    snapshot_date,
    snapshot_observations,
)
from suppliers.companies_house.concerns import status_concern
from tests.companies_house_stub import CompaniesHouseStub, profile, snapshot_csv, snapshot_row

TODAY = dt.date(2026, 12, 4)


class Sleeps:
    """Records the waits the client asks for, and moves a clock by them (no real waiting)."""

    def __init__(self):
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def client_for(stub, sleeps=None, **options) -> CompaniesHouseClient:
    sleeps = sleeps or Sleeps()
    return CompaniesHouseClient(api_key="test-key", base_url=stub.url, clock=sleeps.clock, sleep=sleeps, **options)


@pytest.fixture
def stub():
    with CompaniesHouseStub() as server:
        yield server


def test_the_company_profile_is_read_with_the_key_as_basic_auth_user_name(stub):
    stub.profiles["07687209"] = profile(
        "07687209", "REDBRICK FACILITIES LTD", status="liquidation", accounts_overdue=True, insolvency=True
    )
    seen = client_for(stub).company_profile("07687209", today=TODAY)
    assert stub.requests == [("/company/07687209", "Basic dGVzdC1rZXk6")]  # base64("test-key:")
    assert seen.found and seen.company_name == "REDBRICK FACILITIES LTD"
    assert (seen.company_status, seen.accounts_overdue, seen.confirmation_statement_overdue) == (
        "liquidation",
        True,
        False,
    )
    assert seen.has_insolvency_history is True
    assert seen.accounts_next_due == dt.date(2026, 9, 30)


def test_an_unknown_number_is_not_found_rather_than_an_error(stub):
    seen = client_for(stub).company_profile("SC999999", today=TODAY)
    assert not seen.found
    assert concerns_of(seen) == []


def test_a_429_waits_as_long_as_retry_after_says_then_asks_again(stub):
    stub.profiles["07687209"] = profile("07687209", "ALBION LTD")
    stub.queue("/company/07687209", 429, {"error": "Too Many Requests"}, {"Retry-After": "7"})
    sleeps = Sleeps()
    assert client_for(stub, sleeps).company_profile("07687209", today=TODAY).company_status == "active"
    assert stub.paths() == ["/company/07687209"] * 2
    assert sleeps.waits == [7.0]


def test_server_errors_are_retried_with_a_growing_pause(stub):
    stub.profiles["07687209"] = profile("07687209", "ALBION LTD")
    stub.queue("/company/07687209", 502, b"<html>Bad gateway</html>")
    stub.queue("/company/07687209", 503, b"")
    sleeps = Sleeps()
    assert client_for(stub, sleeps).company_profile("07687209", today=TODAY).found
    assert sleeps.waits == [1.0, 2.0]


def test_a_server_still_failing_after_the_retries_is_an_error_naming_it(stub):
    for _ in range(4):
        stub.queue("/company/07687209", 500, {"error": "Internal Server Error"})
    sleeps = Sleeps()
    with pytest.raises(CompaniesHouseError, match="after 3 retries"):
        client_for(stub, sleeps, retries=3).company_profile("07687209", today=TODAY)
    assert len(stub.requests) == 4
    assert sleeps.waits == [1.0, 2.0, 4.0]


def test_a_refused_key_stops_at_once(stub):
    stub.queue("/company/07687209", 401, {"error": "Invalid Authorization"})
    with pytest.raises(CompaniesHouseError, match="refused the API key"):
        client_for(stub).company_profile("07687209", today=TODAY)
    assert len(stub.requests) == 1


def test_the_client_keeps_under_the_rate_limit_itself(stub):
    for number in ("00000001", "00000002", "00000003", "00000004"):
        stub.profiles[number] = profile(number, "A LTD")
    sleeps = Sleeps()
    client = client_for(stub, sleeps, requests_per_window=3, window_seconds=300)
    for number in ("00000001", "00000002", "00000003"):
        client.company_profile(number, today=TODAY)
        sleeps.now += 10  # ten seconds between requests
    assert sleeps.waits == []
    client.company_profile("00000004", today=TODAY)
    # The fourth waits until the first is five minutes old: 300 - 30 seconds.
    assert sleeps.waits == [270.0]
    assert len(stub.requests) == 4


def test_only_http_urls_are_accepted():
    with pytest.raises(ValueError, match="http"):
        CompaniesHouseClient(api_key="k", base_url="file:///etc/passwd")


# --- The monthly snapshot -----------------------------------------------------------------------


def write_snapshot(tmp_path, rows, name="BasicCompanyDataAsOneFile-2026-12-01.csv"):
    path = tmp_path / name
    path.write_text(snapshot_csv(rows), encoding="utf-8")
    return path


def test_the_snapshot_keeps_only_the_numbers_asked_for_with_its_real_header(tmp_path):
    path = write_snapshot(
        tmp_path,
        [
            snapshot_row("00012345", "SOMEONE ELSE LTD"),
            # A spreadsheet lost the leading zero: still the register's 05566123.
            snapshot_row("5566123", "ALBION ESTATES MAINTENANCE LTD", status="In Administration"),
            snapshot_row("SC123456", "HIGHLAND FLEET LIMITED", accounts_due="30/09/2026"),
        ],
    )
    seen = list(snapshot_observations(path, numbers={"05566123", "SC123456"}, as_of=dt.date(2026, 12, 1)))
    assert [(o.company_number, o.company_status) for o in seen] == [
        ("05566123", "In Administration"),
        ("SC123456", "Active"),
    ]
    highland = seen[1]
    assert highland.accounts_overdue and highland.accounts_next_due == dt.date(2026, 9, 30)
    assert not highland.confirmation_statement_overdue
    assert highland.has_insolvency_history is None  # the snapshot does not say


def test_the_snapshot_is_read_from_its_zip(tmp_path):
    csv_path = write_snapshot(tmp_path, [snapshot_row("SC123456", "HIGHLAND FLEET LIMITED", status="Liquidation")])
    zip_path = tmp_path / "BasicCompanyDataAsOneFile-2026-12-01.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, "BasicCompanyDataAsOneFile-2026-12-01.csv")
    seen = list(snapshot_observations(zip_path, numbers={"SC123456"}, as_of=TODAY))
    assert [o.company_status for o in seen] == ["Liquidation"]
    assert snapshot_date(zip_path) == dt.date(2026, 12, 1)


def test_a_file_that_is_not_the_snapshot_is_refused_naming_what_is_missing(tmp_path):
    path = tmp_path / "contracts.csv"
    path.write_text('CompanyName,Number,Status\n"A LTD","00000001","Active"\n')
    with pytest.raises(SnapshotError, match="CompanyNumber"):
        list(snapshot_observations(path, numbers={"00000001"}, as_of=TODAY))
    other = tmp_path / "other.csv"
    other.write_text("reference,title\nCON-1,Fleet\n")
    with pytest.raises(SnapshotError, match="first line"):
        list(snapshot_observations(other, numbers={"00000001"}, as_of=TODAY))


@pytest.mark.parametrize(
    ("status", "key"),
    [
        ("active", None),
        ("Active", None),
        ("open", None),
        ("Active - Proposal to Strike off", "strike_off"),
        ("In Administration", "administration"),
        ("Administration Order", "administration"),
        ("In Administration/Administrative Receiver", "administration"),
        ("administration", "administration"),
        ("Liquidation", "liquidation"),
        ("insolvency-proceedings", "liquidation"),
        ("Receivership Action", "receivership"),
        ("receivership", "receivership"),
        ("Voluntary Arrangement", "voluntary_arrangement"),
        ("voluntary-arrangement", "voluntary_arrangement"),
        ("Dissolved", "dissolved"),
        ("removed", "dissolved"),
        ("converted-closed", "dissolved"),
        ("something-new", "status:something new"),
    ],
)
def test_which_statuses_are_concerns(status, key):
    concern = status_concern(status)
    assert (concern.key if concern else None) == key


@pytest.mark.parametrize(
    ("raw", "number"),
    [("5566123", "05566123"), (" 05566123 ", "05566123"), ("sc123456", "SC123456"), ("NI 012345", "NI012345")],
)
def test_company_numbers_are_normalised_before_matching(raw, number):
    assert company_number_normalise(raw) == number


def test_a_retry_after_given_as_a_date_is_waited_for_too(stub):
    from email.utils import formatdate

    stub.profiles["07687209"] = profile("07687209", "ALBION LTD")
    later = formatdate(time.time() + 30, usegmt=True)
    stub.queue("/company/07687209", 429, {"error": "Too Many Requests"}, {"Retry-After": later})
    sleeps = Sleeps()
    assert client_for(stub, sleeps).company_profile("07687209", today=TODAY).found
    assert len(sleeps.waits) == 1 and 27 <= sleeps.waits[0] <= 30
