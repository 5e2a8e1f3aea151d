"""Who sees the market comparison (the `rules` package): the Procurement Unit, whose job the policy
makes market intelligence, and administrators. An OCO or SRO does not see it: other buyers' prices
beside their contract invite reading a comparison as a verdict, which the Procurement Unit makes."""

import rules

from accounts.rules import sees_everything

rules.add_perm("market.view_comparison", sees_everything)
# Loading published notices into the market dataset (exchange's market page, manage.py load_market_awards).
rules.add_perm("market.load_awards", sees_everything)
