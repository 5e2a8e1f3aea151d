"""Finding 9 of issue 14: an export whose sheet title holds a character Excel refuses (here the
colon of "Open escalations: Financial") is written, not a 500."""

import io

from openpyxl import load_workbook

from contracts.models import Escalation


def test_open_financial_escalations_download_as_xlsx(client, priya, contract):
    Escalation.objects.create(
        contract=contract, source="financial", severity="high", title="Profit warning", raised_by=priya
    )
    client.force_login(priya)
    response = client.get("/dashboard/lists/open-escalations/?source=financial&format=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert ":" not in workbook.sheetnames[0]
    assert workbook.active["A2"].value is not None
