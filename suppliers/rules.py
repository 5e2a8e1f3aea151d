"""Object permissions on suppliers (the `rules` package)."""

import rules

from accounts.rules import sees_everything

rules.add_perm("suppliers.add_supplier", sees_everything)
rules.add_perm("suppliers.change_supplier", sees_everything)
