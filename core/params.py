"""Numbers from a query string, read so that no value a user can type makes a server error."""


def int_param(query, name: str) -> int | None:
    """The whole number `name` of a QueryDict, or None when it is missing or not plain digits: "²" and
    "٣" pass str.isdigit() but are no id, and a number of thousands of digits is no id either."""
    value = query.get(name) or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None
