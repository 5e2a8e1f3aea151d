"""Object permissions on performance (the `rules` package). The object is always the contract."""

import rules

from accounts.rules import sees_everything
from contracts.rules import is_contract_oco

# --- Milestones, MI reports, the £5m published-KPI list (performance/views/tracking.py) -------------
# The contract's OCO and the Procurement Unit record milestones and MI reports; an SRO reads them.
rules.add_perm("performance.manage_milestones", sees_everything | is_contract_oco)
rules.add_perm("performance.manage_mi_reports", sees_everything | is_contract_oco)
# Active contracts over £5m with fewer than three active published KPIs: the Procurement Unit's list.
rules.add_perm("performance.view_published_kpi_list", sees_everything)

# --- KPIs and their results (performance/views/kpis.py) ----------------------------------------------
# The Procurement Unit and the contract's OCO define KPIs and record, correct and override results;
# anyone else who can see the contract (its SRO) reads them.
rules.add_perm("performance.define_kpis", sees_everything | is_contract_oco)
rules.add_perm("performance.record_results", sees_everything | is_contract_oco)

# --- Remedies (performance/views/remedies.py) ----------------------------------------------------------
# The contract's OCO and the Procurement Unit record improvement notices, service credits, breaches and
# their outcomes; its SRO reads them. The Procurement Unit records a section 72 notice as published.
rules.add_perm("performance.record_remedies", sees_everything | is_contract_oco)
rules.add_perm("performance.publish_remedy_notices", sees_everything)
