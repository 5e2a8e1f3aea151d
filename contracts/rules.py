"""Object permissions on contracts (the `rules` package)."""

import rules

from accounts.rules import sees_everything


@rules.predicate
def is_contract_oco(user, contract) -> bool:
    return contract is not None and contract.oco_id == user.pk


@rules.predicate
def is_contract_sro(user, contract) -> bool:
    return contract is not None and contract.sro_id == user.pk


@rules.predicate
def owns_renewal_decision(user, contract) -> bool:
    """The OCO (or the SRO, when there is no active OCO) owns the contract's renewal decision."""
    return contract is not None and contract.renewal_owner == user


@rules.predicate
def owns_saved_view(user, view) -> bool:
    return view is not None and view.owner_id == user.pk


@rules.predicate
def is_escalation_oco(user, escalation) -> bool:
    return escalation is not None and escalation.contract.oco_id == user.pk


@rules.predicate
def is_escalation_sro(user, escalation) -> bool:
    return escalation is not None and escalation.contract.sro_id == user.pk


rules.add_perm("contracts.view_contract", sees_everything | is_contract_oco | is_contract_sro)
rules.add_perm("contracts.add_contract", sees_everything)
# Everything on a contract: reference, values, parties, OCO and SRO.
rules.add_perm("contracts.change_contract", sees_everything)
# The OCO's day-to-day fields (Contract.OPERATIONAL_FIELDS) on their own contracts.
rules.add_perm("contracts.change_contract_operational", sees_everything | is_contract_oco)
rules.add_perm("contracts.add_contractdocument", sees_everything | is_contract_oco)
# Kraljic: the Procurement Unit assesses, runs the review rounds and reads the SRO rules list.
rules.add_perm("contracts.assess_kraljic", sees_everything)
# Escalations: an OCO raises them on their own contracts (the object is the contract);
# the Procurement Unit raises them anywhere and manages them. An SRO reads.
rules.add_perm("contracts.raise_escalation", sees_everything | is_contract_oco)
rules.add_perm("contracts.manage_escalation", sees_everything)
# Its thread (the object is the escalation): the contract's OCO and the Procurement Unit post updates,
# its SRO comments; only the Procurement Unit changes its status.
rules.add_perm("contracts.post_escalation_update", sees_everything | is_escalation_oco | is_escalation_sro)
rules.add_perm("contracts.change_escalation_status", sees_everything)
# Contract lifecycle: the OCO and SRO read their contracts' variations, renewals, savings and ending;
# the Procurement Unit records them and runs the renewals, termination notices, training and handover pages.
rules.add_perm("contracts.manage_lifecycle", sees_everything)
# The renewal decision: its owner records it on their contract, or the Procurement Unit does.
rules.add_perm("contracts.decide_renewal", sees_everything | owns_renewal_decision)
# Savings: the contract's OCO or the Procurement Unit records one; the Procurement Unit validates it.
rules.add_perm("contracts.record_saving", sees_everything | is_contract_oco)
rules.add_perm("contracts.validate_saving", sees_everything)
rules.add_perm("contracts.manage_training", sees_everything)
rules.add_perm("contracts.hand_over_contracts", sees_everything)

# Key suppliers: the Procurement Unit designates them, writes their relationship plans and reviews them.
rules.add_perm("contracts.manage_key_suppliers", sees_everything)
rules.add_perm("contracts.view_supplier_overview", sees_everything)
# Saved views of the register: anyone keeps their own; the Procurement Unit shares them with everyone.
rules.add_perm("contracts.share_saved_view", sees_everything)
rules.add_perm("contracts.delete_saved_view", owns_saved_view)
