"""The force's roles, held as Django groups (created by a data migration)."""

OCO = "Operational Contract Owner"
SRO = "Senior Representative Owner"
PROCUREMENT = "Procurement Unit"

ALL = (OCO, SRO, PROCUREMENT)
