"""What goes in and out of the register: spreadsheet imports, OCDS import and export, the Procurement
Act 2023 notice lists and the read-only REST API. Above performance and meetings, it may read every
app below it; no app below imports it."""
