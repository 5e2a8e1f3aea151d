"""The force's roles, held as Django groups (created by a data migration)."""

OCO = "Operational Contract Owner"
SRO = "Senior Representative Owner"
PROCUREMENT = "Procurement Unit"
# People of a supplier, signed in to the supplier portal (/supplier/) only: never the register itself.
SUPPLIER = "Supplier"

# The force's own roles (the supplier role is outside: see SUPPLIER).
ALL = (OCO, SRO, PROCUREMENT)
