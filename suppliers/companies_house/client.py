"""The Companies House public REST API's company profile, read within its rate limit.

HTTP Basic authentication with the API key as the user name. Over the limit (600 requests per 5
minutes per key) the API answers 429: the client keeps under it itself, and on a 429 waits as long
as Retry-After says; a 5xx or a network fault is retried after 1, 2, 4 ... seconds."""

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any

from suppliers.companies_house.observation import CompanyObservation


class CompaniesHouseError(Exception):
    """Companies House could not be asked (the key refused, or still failing after the retries)."""


class CompaniesHouseClient:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        requests_per_window: int = 600,
        window_seconds: float = 300,
        retries: int = 4,
        timeout: float = 10,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError(f"The Companies House API URL must be http(s): {base_url!r}.")
        self.base_url = base_url.rstrip("/")
        self.authorization = "Basic " + base64.b64encode(f"{api_key}:".encode()).decode()
        self.requests_per_window, self.window_seconds = requests_per_window, window_seconds
        self.retries, self.timeout = retries, timeout
        self.clock, self.sleep = clock, sleep
        self.sent: deque[float] = deque()  # when each request of the current window went

    def _wait_for_turn(self) -> None:
        """Keep under the limit: the request that would be one too many in the window waits."""
        now = self.clock()
        while self.sent and self.sent[0] <= now - self.window_seconds:
            self.sent.popleft()
        if len(self.sent) >= self.requests_per_window:
            self.sleep(self.sent[0] + self.window_seconds - now)
            self.sent.popleft()
        self.sent.append(self.clock())

    def _retry_after(self, error: urllib.error.HTTPError, attempt: int) -> float:
        value = (error.headers.get("Retry-After") or "").strip()
        if value.isdigit():
            return min(float(value), self.window_seconds)
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return float(2**attempt)
        return min(max(moment.timestamp() - time.time(), 0.0), self.window_seconds)

    def get(self, path: str) -> dict[str, Any] | None:
        """The JSON at `path`, or None when Companies House answers 404."""
        url = f"{self.base_url}{path}"
        headers = {"Authorization": self.authorization, "Accept": "application/json"}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) only, checked above
        for attempt in range(self.retries + 1):
            self._wait_for_turn()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                    return json.loads(response.read())
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    return None
                if error.code in (401, 403):
                    raise CompaniesHouseError(f"Companies House refused the API key ({error.code}).") from None
                if error.code != 429 and error.code < 500:
                    raise CompaniesHouseError(f"Companies House answered {error.code} for {path}.") from None
                failure = f"{error.code}"
                wait = self._retry_after(error, attempt) if error.code == 429 else float(2**attempt)
            except (urllib.error.URLError, TimeoutError, ValueError) as error:
                failure = str(getattr(error, "reason", error))
                wait = float(2**attempt)
            if attempt < self.retries:
                self.sleep(wait)
        raise CompaniesHouseError(f"Companies House still failing for {path} after {self.retries} retries ({failure}).")

    def company_profile(self, company_number: str, *, today: date) -> CompanyObservation:
        profile = self.get(f"/company/{urllib.parse.quote(company_number)}")
        if profile is None:
            return CompanyObservation(company_number=company_number, source="api", as_of=today, found=False)
        accounts = profile.get("accounts") or {}
        statement = profile.get("confirmation_statement") or {}
        return CompanyObservation(
            company_number=company_number,
            source="api",
            as_of=today,
            company_name=str(profile.get("company_name") or "")[:200],
            company_status=str(profile.get("company_status") or "")[:100],
            accounts_overdue=bool(accounts.get("overdue")),
            accounts_next_due=_iso_date(accounts.get("next_due")),
            confirmation_statement_overdue=bool(statement.get("overdue")),
            confirmation_statement_next_due=_iso_date(statement.get("next_due")),
            has_insolvency_history=bool(profile.get("has_insolvency_history")),
        )


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
