"""Who may do what about the supplier portal, from the force's side. (What a supplier's person may see
is their scope, portal.scope: they hold no permission of the register's.)"""

import rules

from accounts.rules import sees_everything
from contracts.rules import is_contract_oco, is_escalation_oco


@rules.predicate
def is_oco_of_a_contract_of(user, contact) -> bool:
    """The OCO of one of the contact's supplier's contracts."""
    return contact is not None and contact.supplier.contracts.filter(oco=user).exists()


# The contract's OCO, or the Procurement Unit, invites a supplier's contact (the object is the contact).
rules.add_perm("portal.invite_contact", sees_everything | is_oco_of_a_contract_of)
# Only the Procurement Unit suspends a supplier's person.
rules.add_perm("portal.suspend_contact", sees_everything)
# Verifying a submission is recording results: performance.record_results on the contract.
# The escalation's OCO or the Procurement Unit shares an escalation with the supplier (the object is the escalation).
rules.add_perm("portal.share_escalation", sees_everything | is_escalation_oco)
# The contract's OCO or the Procurement Unit shares an improvement notice with the supplier (the object is the
# contract), as they record it.
rules.add_perm("portal.share_improvement_notice", sees_everything | is_contract_oco)
