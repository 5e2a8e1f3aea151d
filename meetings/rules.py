"""Object permissions on meetings and the administration log (the `rules` package).

The object is always the contract: whoever may manage a contract's meetings may
manage their actions and its log."""

import rules

from accounts.rules import sees_everything
from contracts.rules import is_contract_oco

rules.add_perm("meetings.manage_meetings", sees_everything | is_contract_oco)
rules.add_perm("meetings.set_cadence", sees_everything)
