"""A stub of Find a Tender's public OCDS API for the tests (http.server in a thread on 127.0.0.1): the
`find_a_tender` fixture (tests/conftest.py) points settings.FIND_A_TENDER_API at it and serves, per
notice identifier, the answers a test sets (404 for any other)."""

import json
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PACKAGE = json.loads((Path(__file__).parent / "exchange" / "data" / "find_a_tender_package.json").read_text())


class FindATender:
    """What the stub answers: per notice identifier, a list of (status, body) served in turn (the last
    one again once the list is used up); every path asked for is kept."""

    def __init__(self):
        self.answers: dict[str, list[tuple[int, bytes]]] = {}
        self.requests: list[str] = []
        self.served: dict[str, int] = defaultdict(int)


@pytest.fixture
def find_a_tender(settings):
    stub = FindATender()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  # http.server's name
            stub.requests.append(self.path)
            prefix = "/api/1.0/ocdsReleasePackages/"
            notice_id = self.path.removeprefix(prefix) if self.path.startswith(prefix) else ""
            answers = stub.answers.get(notice_id, [(404, b'{"error": "not found"}')])
            status, body = answers[min(stub.served[notice_id], len(answers) - 1)]
            stub.served[notice_id] += 1
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FIND_A_TENDER_API = f"http://127.0.0.1:{server.server_address[1]}/api/1.0"
    settings.FIND_A_TENDER_TIMEOUT_SECONDS = 5
    yield stub
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def package_for(notice_id: str) -> bytes:
    return json.dumps(
        {**PACKAGE, "uri": f"https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages/{notice_id}"}
    ).encode()
