"""Role predicates shared by every app's object permissions."""

import rules


@rules.predicate
def is_administrator(user) -> bool:
    return bool(getattr(user, "is_administrator", False))


@rules.predicate
def is_procurement(user) -> bool:
    return bool(getattr(user, "is_procurement", False))


sees_everything = is_administrator | is_procurement

# Two-step sign-in: whoever sees the whole register must keep it (accounts.two_factor); others may turn it off.
# A rule, not a permission: Django grants a superuser every permission, and this one must be refused to them.
rules.add_rule("accounts.may_turn_off_two_factor", ~sees_everything)
