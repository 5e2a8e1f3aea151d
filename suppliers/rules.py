"""Object permissions on suppliers (the `rules` package)."""

import rules

from accounts.rules import is_procurement, sees_everything

rules.add_perm("suppliers.add_supplier", sees_everything)
rules.add_perm("suppliers.change_supplier", sees_everything)
# The likely duplicates and merging two records of one supplier: the Procurement Unit's.
rules.add_perm("suppliers.merge_supplier", is_procurement)


@rules.predicate
def is_oco_of_a_contract(user, supplier) -> bool:
    return supplier is not None and supplier.contracts.filter(oco_id=user.pk).exists()


# Financial or reputational information (it escalates the supplier's active contracts): the
# Procurement Unit, or the OCO of one of the supplier's contracts. An SRO reads.
rules.add_perm("suppliers.record_information", sees_everything | is_oco_of_a_contract)
