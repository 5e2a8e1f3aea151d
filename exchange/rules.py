"""Who may use the exchange (the `rules` package). Each is the Procurement Unit's (and administrators')."""

import rules

from accounts.rules import sees_everything

# Spreadsheet imports of contracts and suppliers.
rules.add_perm("exchange.import_contracts", sees_everything)
# OCDS: import awarded contracts as drafts, export the register.
rules.add_perm("exchange.import_ocds", sees_everything)
rules.add_perm("exchange.export_ocds", sees_everything)
# The Procurement Act 2023 notice lists and the notices' data.
rules.add_perm("exchange.view_notices", sees_everything)
# Recording a notice as published on Find a Tender, with its notice identifier.
rules.add_perm("exchange.publish_notices", sees_everything)
# Invoice payments from the finance system: their import, matching to contracts and the late-payment figures.
rules.add_perm("exchange.import_invoices", sees_everything)
rules.add_perm("exchange.view_payments", sees_everything)
