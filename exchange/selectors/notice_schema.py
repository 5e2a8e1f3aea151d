"""The release schema Find a Tender's notices follow: OCDS 1.1.5 (exchange/ocds_schema/release-schema.json)
patched, in this order, by the metrics, performance failures and UK extensions shipped beside it
(exchange/ocds_schema/extensions/, each with its licence and provenance in its README)."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from exchange.selectors.ocds_export import release_schema

EXTENSIONS_DIR = Path(__file__).resolve().parent.parent / "ocds_schema" / "extensions"
# The order the extensions' README gives: each patches the schema the previous one left.
EXTENSION_ORDER = ("metrics", "performance_failures", "uk")


def merge_patch(target: Any, patch: Any) -> Any:
    """JSON Merge Patch (RFC 7396): objects merge key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@cache
def extended_release_schema() -> dict:
    schema: dict = release_schema()
    for name in EXTENSION_ORDER:
        patch = json.loads((EXTENSIONS_DIR / name / "release-schema.json").read_text(encoding="utf-8"))
        schema = merge_patch(schema, patch)
    return schema


def notice_validation_errors(release: dict) -> list[str]:
    """Every way the release breaks the extended schema, as "path: message" (none when it is valid)."""
    from jsonschema import Draft4Validator, FormatChecker

    validator = Draft4Validator(extended_release_schema(), format_checker=FormatChecker())
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(release)'}: {error.message}"
        for error in sorted(validator.iter_errors(release), key=lambda e: list(map(str, e.absolute_path)))
    ]
