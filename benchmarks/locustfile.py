"""The load test's scenario for locust: OCOs and Procurement officers using the register at once.

Run by benchmarks/load_test.py (which starts gunicorn and prints the totals); on its own against a
running server:

    .venv/bin/locust -f benchmarks/locustfile.py --headless --host http://127.0.0.1:8000 \\
        --users 50 --spawn-rate 10 --run-time 2m --ocos oco1..oco3 --procurement-users procurement \\
        --password demo-pass-2026

Users (defaults: the `seed_scale` data set): --ocos and --procurement-users take comma-separated
usernames or ranges such as oco00001..oco00040 (zero-padding kept); every one has --password.
Each simulated user signs in through the login form (with its CSRF token) as the next username of
its role, round robin.

- OCOs (weight 4 of 5): the register list, one of their contracts, its Performance page, and now
  and then a KPI result, posted through the result form of a period that is due.
- Procurement officers (weight 1 of 5): the Procurement dashboard (/dashboard/procurement/; until it
  exists, the register list and the escalations instead), the register list with filters, the
  escalations, a contract.

Requests are named by page ("/contracts/[id]/"), so that the totals are per page, not per URL.
"""

import itertools
import random
import re
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONTRACT_LINK = re.compile(r'href="/contracts/(\d+)/"')
RESULT_FORM = re.compile(r'<form[^>]*action="(/performance/kpis/(\d+)/record/)"(.*?)</form>', re.S)
PERIOD_START = re.compile(r'name="period_start" value="([^"]+)"')
SEARCH_WORDS = ["fleet", "forensic", "custody", "ict", "estates", "services", "support", "uniform"]


def usernames(spec: str) -> list[str]:
    """`oco00001..oco00040,extra` -> oco00001, oco00002, ..., oco00040, extra."""
    names = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = re.fullmatch(r"(\D*)(\d+)\.\.(\D*)(\d+)", part)
        if match is None:
            names.append(part)
            continue
        prefix, first, prefix_again, last = match.groups()
        if prefix != prefix_again:
            raise ValueError(f"A range keeps its prefix: {part}")
        width = len(first)
        names += [f"{prefix}{n:0{width}d}" for n in range(int(first), int(last) + 1)]
    if not names:
        raise ValueError("No usernames given.")
    return names


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--ocos", default="oco00001..oco00040", help="OCO usernames (a, b or a..b)")
    parser.add_argument(
        "--procurement-users", default="procurement1..procurement5", help="Procurement officers' usernames"
    )
    parser.add_argument("--password", default="scale-password-123", help="every load-test user's password")


_next_username: dict[str, itertools.cycle] = {}


def _take_username(environment, option: str) -> str:
    if option not in _next_username:
        _next_username[option] = itertools.cycle(usernames(getattr(environment.parsed_options, option)))
    return next(_next_username[option])


class SignedInUser(FastHttpUser):
    abstract = True
    wait_time = between(1, 4)
    usernames_option = ""

    def on_start(self):
        self.username = _take_username(self.environment, self.usernames_option)
        self.sign_in()

    def sign_in(self):
        form = self.client.get("/accounts/login/", name="/accounts/login/ (form)")
        token = CSRF.search(form.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": self.environment.parsed_options.password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "next": "",
            },
            headers={"Referer": self.host + "/accounts/login/"},
            allow_redirects=False,
            name="/accounts/login/ (sign in)",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and "/accounts/login/" not in response.headers.get("Location", ""):
                response.success()
            else:
                response.failure(f"{self.username} could not sign in (HTTP {response.status_code})")

    def page(self, path: str, name: str, **params):
        """GET a page that must answer 200; a redirect to the login page is a failure, not a success."""
        url = f"{path}?{urlencode(params)}" if params else path
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response

    def contract_ids(self, html: str | None) -> list[str]:
        return sorted(set(CONTRACT_LINK.findall(html or "")))


class Oco(SignedInUser):
    """An Operational Contract Owner: their own contracts, their KPIs' results."""

    weight = 4
    usernames_option = "ocos"

    def on_start(self):
        super().on_start()
        self.contracts = self.contract_ids(self.page("/contracts/", "/contracts/").text)
        self.with_due_results: set[str] = set()

    def a_contract(self) -> str | None:
        return random.choice(self.contracts) if self.contracts else None

    @task(3)
    def register(self):
        self.contracts = self.contract_ids(self.page("/contracts/", "/contracts/").text) or self.contracts

    @task(3)
    def contract(self):
        if pk := self.a_contract():
            self.page(f"/contracts/{pk}/", "/contracts/[id]/")

    @task(2)
    def performance(self):
        if pk := self.a_contract():
            self.performance_page(pk)

    def performance_page(self, pk: str) -> str:
        html = self.page(f"/performance/contract/{pk}/", "/performance/contract/[id]/").text or ""
        if RESULT_FORM.search(html):
            self.with_due_results.add(pk)
        else:
            self.with_due_results.discard(pk)
        return html

    @task(1)
    def record_a_result(self):
        """The result form of a due period, as the OCO posts it without JavaScript (303 to the page)."""
        pk = random.choice(sorted(self.with_due_results)) if self.with_due_results else self.a_contract()
        if pk is None:
            return
        html = self.performance_page(pk)
        forms = [match for match in RESULT_FORM.finditer(html) if PERIOD_START.search(match.group(3))]
        if not forms:
            return
        action, _kpi, body = random.choice(forms).groups()
        token = CSRF.search(body) or CSRF.search(html)
        actual = random.choice(["0", "1"]) if '<select name="actual"' in body else str(random.randint(80, 100))
        with self.client.post(
            action,
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "period_start": PERIOD_START.search(body).group(1),
                "actual": actual,
                "commentary": "Recorded by the load test.",
            },
            headers={"Referer": self.host + f"/performance/contract/{pk}/"},
            allow_redirects=False,
            name="/performance/kpis/[id]/record/ (POST)",
            catch_response=True,
        ) as response:
            if response.status_code == 303:
                response.success()
            elif response.status_code == 200 and "was recorded already" in (response.text or ""):
                # Two simulated users with one username raced for one period: the app refused the second.
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class ProcurementOfficer(SignedInUser):
    """The Procurement Unit: the whole register, its dashboard, the escalations."""

    weight = 1
    usernames_option = "procurement_users"

    def on_start(self):
        super().on_start()
        self.contracts: list[str] = []
        with self.client.get(
            "/dashboard/procurement/", name="/dashboard/procurement/", allow_redirects=False, catch_response=True
        ) as response:
            # Until the dashboard lands, a 404 here is expected and the fallback pages are used.
            self.has_dashboard = response.status_code == 200
            if response.status_code in (200, 404):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")

    @task(3)
    def dashboard(self):
        if self.has_dashboard:
            self.page("/dashboard/procurement/", "/dashboard/procurement/")
        else:
            self.register()
            self.escalations()

    @task(3)
    def register(self):
        html = self.page("/contracts/", "/contracts/").text
        self.contracts = self.contract_ids(html) or self.contracts

    @task(3)
    def register_filtered(self):
        filters = random.choice(
            [
                {"status": "active", "sort": "-total_value"},
                {"q": random.choice(SEARCH_WORDS)},
                {"status": "active", "end_date_min": "2026-01-01", "end_date_max": "2028-12-31", "sort": "end_date"},
                {"total_value_min": "100000", "total_value_max": "5000000"},
                {"page": random.randint(2, 5)},
            ]
        )
        with self.client.get(
            f"/contracts/?{urlencode(filters)}",
            name="/contracts/?filters",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # A page number past the end answers 404: fewer contracts than the scale data set has.
            if response.status_code == 200 or ("page" in filters and response.status_code == 404):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")

    @task(2)
    def escalations(self):
        self.page("/escalations/", "/escalations/")
        self.page("/escalations/", "/escalations/?status=", status="")

    @task(2)
    def contract(self):
        if self.contracts:
            self.page(f"/contracts/{random.choice(self.contracts)}/", "/contracts/[id]/")
