"""A stand-in for the Companies House API (http.server in a thread on 127.0.0.1) answering with the
shapes the real one answers, and the snapshot's CSV in its real layout (header spaces included)."""

import csv
import io
import json
import threading
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from suppliers.companies_house.snapshot import HEADER as SNAPSHOT_HEADER

COLUMNS = [name.strip() for name in SNAPSHOT_HEADER.split(",")]


def snapshot_row(
    number: str,
    name: str,
    status: str = "Active",
    accounts_due: str = "30/09/2027",
    statement_due: str = "14/06/2027",
) -> list[str]:
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {
            "CompanyName": name,
            "CompanyNumber": number,
            "RegAddress.AddressLine1": "1 HIGH STREET",
            "RegAddress.PostTown": "LEEDS",
            "RegAddress.PostCode": "LS1 1AA",
            "CompanyCategory": "Private Limited Company",
            "CompanyStatus": status,
            "CountryOfOrigin": "United Kingdom",
            "IncorporationDate": "04/03/2011",
            "Accounts.AccountRefDay": "31",
            "Accounts.AccountRefMonth": "12",
            "Accounts.NextDueDate": accounts_due,
            "Accounts.LastMadeUpDate": "31/12/2025",
            "Accounts.AccountCategory": "FULL",
            "SICCode.SicText_1": "81100 - Combined facilities support activities",
            "URI": f"http://business.data.gov.uk/id/company/{number}",
            "ConfStmtNextDueDate": statement_due,
            "ConfStmtLastMadeUpDate": "31/05/2026",
        }
    )
    return [values[column] for column in COLUMNS]


def snapshot_csv(rows) -> str:
    """Every value quoted, as published; the header line as published (not quoted, with its spaces)."""
    buffer = io.StringIO()
    buffer.write(SNAPSHOT_HEADER + "\r\n")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerows(rows)
    return buffer.getvalue()


def profile(
    number: str,
    name: str,
    *,
    status: str = "active",
    accounts_overdue: bool = False,
    statement_overdue: bool = False,
    insolvency: bool = False,
) -> dict:
    """A company profile in the shape GET /company/{number} answers."""
    return {
        "company_name": name,
        "company_number": number,
        "company_status": status,
        "type": "ltd",
        "jurisdiction": "england-wales",
        "date_of_creation": "2011-03-04",
        "has_insolvency_history": insolvency,
        "has_charges": False,
        "can_file": status == "active",
        "registered_office_address": {"address_line_1": "1 High Street", "locality": "Leeds", "postal_code": "LS1 1AA"},
        "accounts": {
            "accounting_reference_date": {"day": "31", "month": "12"},
            "next_due": "2026-09-30",
            "next_made_up_to": "2025-12-31",
            "overdue": accounts_overdue,
            "last_accounts": {"made_up_to": "2024-12-31", "type": "full"},
        },
        "confirmation_statement": {
            "next_due": "2026-06-14",
            "next_made_up_to": "2026-05-31",
            "overdue": statement_overdue,
            "last_made_up_to": "2025-05-31",
        },
        "sic_codes": ["81100"],
        "links": {"self": f"/company/{number}"},
        "etag": "0123456789abcdef",
    }


class CompaniesHouseStub:
    """Answers GET /company/{number} from `profiles`; `queue(path, status, body, headers)` puts one-off
    answers (a 429, a 502) before it. Records each request's path and Authorization header."""

    def __init__(self):
        self.profiles: dict[str, dict] = {}
        self.queued: dict[str, deque] = defaultdict(deque)
        self.requests: list[tuple[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                stub.requests.append((self.path, self.headers.get("Authorization", "")))
                if stub.queued[self.path]:
                    status, body, headers = stub.queued[self.path].popleft()
                elif self.path.startswith("/company/") and self.path.removeprefix("/company/") in stub.profiles:
                    status, body, headers = 200, stub.profiles[self.path.removeprefix("/company/")], {}
                else:
                    status, body = 404, {"errors": [{"error": "company-profile-not-found", "type": "ch:service"}]}
                    headers = {}
                payload = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def queue(self, path: str, status: int, body=b"", headers=None) -> None:
        self.queued[path].append((status, body, headers or {}))

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
