"""Role predicates shared by every app's object permissions."""

import rules


@rules.predicate
def is_administrator(user) -> bool:
    return bool(getattr(user, "is_administrator", False))


@rules.predicate
def is_procurement(user) -> bool:
    return bool(getattr(user, "is_procurement", False))


sees_everything = is_administrator | is_procurement
