"""Reading an OCDS upload: parse it, refuse what cannot be imported safely (with a message for the
user), and walk its releases. exchange/services/ocds_import.py plans and applies the import."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SKIP_LINKED = "linked release without data"
SKIP_NOT_RELEASE = "not a release"


class OcdsError(ValueError):
    """The upload is not an OCDS package we can read: the message says why, for the user."""


def load_package(raw: bytes) -> dict:
    """Parse the upload; raise OcdsError with a message for the user when it is not a package."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise OcdsError("The file is larger than 20 MB.")
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_int=_parse_int)
    except UnicodeDecodeError:
        raise OcdsError("The file is not UTF-8 text: upload the OCDS JSON file.") from None
    except json.JSONDecodeError as exc:
        raise OcdsError(f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}).") from None
    except RecursionError:
        raise OcdsError("The file nests its data thousands of levels deep: it is not an OCDS package.") from None
    if not isinstance(data, dict) or not (
        isinstance(data.get("releases"), list) or isinstance(data.get("records"), list)
    ):
        raise OcdsError("The file is JSON but not an OCDS release package or record package (no releases or records).")
    _check_identifiers(data)
    return data


# No amount or count in OCDS needs more digits; Python refuses to read more than 4,300.
MAX_INTEGER_DIGITS = 30
CONTROL_CHARACTER = re.compile(r"[\x01-\x1f\x7f-\x9f\u2028\u2029]")


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise OcdsError(
            f"The file holds a whole number of {len(text.lstrip('-')):,} digits; no OCDS value has more than "
            f"{MAX_INTEGER_DIGITS}. Correct the file and upload it again."
        )
    return int(text)


def _check_identifiers(package: dict) -> None:
    """An ocid or award id becomes a contract's reference, which goes into file names and headers:
    one with a line break or another control character is refused, naming the release."""
    for number, release in enumerate(iter_releases(package, Counter()), start=1):
        awards = [a for a in _list(release.get("awards")) if isinstance(a, dict)]
        for label, value in [("ocid", release.get("ocid"))] + [("award id", a.get("id")) for a in awards]:
            if isinstance(value, str) and CONTROL_CHARACTER.search(value):
                shown = CONTROL_CHARACTER.sub(" ", value).strip()[:80]
                raise OcdsError(
                    f"Release {number} has an {label} with a line break or other control character "
                    f"(“{shown}”): an identifier is one line of text. Correct the file and upload it again."
                )


def iter_releases(package: dict, skipped: Counter):
    """The releases of a release package, or of a record package (compiled release, else its releases)."""
    if isinstance(package.get("releases"), list):
        candidates = package["releases"]
    else:
        candidates = []
        for record in package["records"]:
            if not isinstance(record, dict):
                skipped[SKIP_NOT_RELEASE] += 1
                continue
            if isinstance(record.get("compiledRelease"), dict):
                candidates.append(record["compiledRelease"])
            else:
                candidates.extend(_list(record.get("releases")))
    for release in candidates:
        if not isinstance(release, dict):
            skipped[SKIP_NOT_RELEASE] += 1
        elif "ocid" not in release and "url" in release:
            skipped[SKIP_LINKED] += 1
        else:
            yield release


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        return "" if value is None else str(value)
    text = LONE_SURROGATE.sub("\ufffd", value.replace("\x00", "")).strip()
    return text[:max_length] if max_length else text


def parse_date(value) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


# The buyer ------------------------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise_name(value) -> str:
    """A name as buyers are compared: without case, punctuation, "&"/"and" differences or a leading "The"."""
    text = clean_text(value).casefold().replace("&", " and ")
    text = " ".join(_PUNCTUATION.sub(" ", text).split())
    return text.removeprefix("the ")


def _identifier_keys(identifier) -> set[str]:
    identifier = _dict(identifier)
    scheme, number = clean_text(identifier.get("scheme")), clean_text(identifier.get("id"))
    return {f"{scheme}-{number}".upper()} if scheme and number else set()


@dataclass(frozen=True)
class Buyer:
    """Who bought, as a release says: its name, and every identifier that can be matched."""

    name: str
    identifiers: frozenset[str]

    @property
    def key(self) -> str:
        """What the preview's "include this buyer" choice carries."""
        return normalise_name(self.name) or min(self.identifiers, default="")


def release_buyer(release: dict) -> Buyer:
    """The release's buyer: `buyer`, and the party it points to (or the party with the buyer role)."""
    reference = _dict(release.get("buyer"))
    parties = [p for p in _list(release.get("parties")) if isinstance(p, dict)]
    buyer_id = clean_text(reference.get("id"))
    party = next((p for p in parties if buyer_id and clean_text(p.get("id")) == buyer_id), None)
    if party is None:
        party = next((p for p in parties if "buyer" in _list(p.get("roles"))), {})
    identifiers = {i.upper() for i in (buyer_id, clean_text(party.get("id"))) if i}
    identifiers |= _identifier_keys(party.get("identifier"))
    for extra in _list(party.get("additionalIdentifiers")):
        identifiers |= _identifier_keys(extra)
    name = clean_text(
        reference.get("name") or party.get("name") or _dict(party.get("identifier")).get("legalName"), 255
    )
    return Buyer(name=name.rstrip(", ") or name, identifiers=frozenset(identifiers))


@dataclass(frozen=True)
class ForceIdentity:
    """The force as a buyer: identifiers and names from the settings (config/settings.py)."""

    identifiers: frozenset[str]
    names: frozenset[str]

    # The notices' identity settings ship with stand-ins until the force sets them: never a buyer.
    PLACEHOLDERS = frozenset({"", "BUYER", "GB-PPON-XXXX-0000-XXXX", "chief constable of the force"})

    @classmethod
    def from_settings(cls) -> ForceIdentity:
        ids = [*settings.OCDS_IMPORT_BUYER_IDS, settings.OCDS_BUYER_ID]
        names = [*settings.OCDS_IMPORT_BUYER_NAMES, settings.OCDS_BUYER_NAME]
        ids = [i for i in ids if clean_text(i).upper() not in cls.PLACEHOLDERS]
        names = [
            n for n in names if normalise_name(n) not in cls.PLACEHOLDERS and clean_text(n) not in cls.PLACEHOLDERS
        ]
        return cls(
            identifiers=frozenset(clean_text(i).upper() for i in ids if clean_text(i)),
            names=frozenset(normalise_name(n) for n in names if normalise_name(n)),
        )

    @property
    def configured(self) -> bool:
        return bool(self.identifiers or self.names)

    def is_buyer(self, buyer: Buyer) -> bool:
        return bool(self.identifiers & buyer.identifiers) or normalise_name(buyer.name) in self.names
