"""Who a supplier is: the one normalisation of names and identifiers used for matching everywhere
(the register's forms and search, the spreadsheet and OCDS imports, the duplicates list).

Pure functions: no database, no Django models.
"""

import re
import unicodedata

# Words a legal form is written in, each reduced to one spelling, so that "Ltd", "Ltd." and "Limited"
# (or the Welsh "Cyf") match. Multi-word forms are reduced before single words.
_PHRASES = (
    ("public limited company", "plc"),
    ("cwmni cyfyngedig cyhoeddus", "plc"),
    ("limited liability partnership", "llp"),
    ("community interest company", "cic"),
)
_WORDS = {
    "ltd": "limited",
    "cyf": "limited",
    "cyfyngedig": "limited",
    "ccc": "plc",
    "co": "company",
}
# Removed inside words rather than turned into a space: "O'Brien" is "obrien", "J.P." is "jp".
_JOINERS = re.compile(r"['’`.]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


# Legal forms dropped from the end of a name: "Albion Ltd", "Albion Limited" and "Albion" are one
# supplier to a person reading the register, and a shared "limited" would make any two names look alike
# to trigram similarity. (Two companies of one name are told apart by their Companies House numbers.)
_LEGAL_FORMS = {"limited", "plc", "llp", "cic", "lp"}


def normalise_name(name: str | None) -> str:
    """A supplier's name as it is compared: lower case, accents, punctuation and extra spaces gone,
    "&" read as "and", a leading "The" and a closing legal form ("Ltd", "Limited", "PLC", "Public
    Limited Company", "LLP", Welsh "Cyf") dropped.

    >>> normalise_name("The X & Y Ltd.")
    'x and y'
    """
    text = unicodedata.normalize("NFKD", name or "").casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " and ").replace("+", " and ")
    text = _JOINERS.sub("", text)
    text = " ".join(_NOT_WORD.sub(" ", text).split())
    for phrase, short in _PHRASES:
        text = re.sub(rf"\b{phrase}\b", short, text)
    words = [_WORDS.get(word, word) for word in text.split()]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words)


_CH_PREFIXED = re.compile(r"^([A-Z]{2})(\d{1,6})$")
_CH_SEPARATORS = re.compile(r"[\s.\-/]")
COMPANIES_HOUSE_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")


def normalise_company_number(value: str | int | float | None) -> str:
    """A Companies House number as the register stores it: spaces and dots gone, upper case, and the
    leading zeros a spreadsheet drops put back ("5566123" is "05566123", "sc12345" is "SC012345").
    What cannot be a number is returned cleaned but otherwise unchanged, for the validator to refuse.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's number cell
    number = _CH_SEPARATORS.sub("", str(value)).upper()
    if number.isdigit() and len(number) < 8:
        return number.zfill(8)
    if match := _CH_PREFIXED.match(number):
        return match.group(1) + match.group(2).zfill(6)
    return number


def is_company_number(value: str) -> bool:
    """Whether `value` (already normalised) is a Companies House number: 8 digits, or 2 letters and 6 digits."""
    return bool(COMPANIES_HOUSE_NUMBER.match(value))


# The Public Procurement Organisation Number given by the Central Digital Platform (Find a Tender)
# when an organisation registers: "P", three letters, four digits, four letters, e.g. PMZV-7732-XXTT.
PPON = re.compile(r"^P[A-Z]{3}-\d{4}-[A-Z]{4}$")
_PPON_SCHEME = re.compile(r"^GB-?PPON[:\-]?", re.IGNORECASE)


def normalise_ppon(value: str | None) -> str:
    """A PPON as the register stores it: upper case, the "GB-PPON:" scheme prefix of OCDS dropped,
    grouped with hyphens ("pmzv 7732 xxtt" is "PMZV-7732-XXTT")."""
    text = _PPON_SCHEME.sub("", "".join((value or "").split()))
    compact = text.replace("-", "").upper()
    if len(compact) == 12 and compact.isalnum():
        return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
    return text.upper()


def is_ppon(value: str) -> bool:
    return bool(PPON.match(value))
