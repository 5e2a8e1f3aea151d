"""The audit trail as people read it: who changed which fields, when, from what to what.

Built on django-simple-history records; shared by every app's History tab.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import chain
from typing import Any

from django.db import models
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst

from core.dates import financial_year_label
from core.formatting import pounds

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Bookkeeping fields that change on every save and say nothing to a reader.
IGNORED_FIELDS = {"updated_at", "created_at", "uploaded_at", "file", "content_type"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def _is_money(model_field: models.Field) -> bool:
    """Sums of money: the values and amounts of the register, or a field whose label names pounds."""
    name = model_field.name
    return "value" in name or "amount" in name or "£" in str(model_field.verbose_name)


def _display(model_field: models.Field, value, objects: dict) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        obj = objects.get((model_field.related_model, value))
        return str(obj) if obj is not None else f"#{value} (deleted)"
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(model_field, models.DecimalField) and _is_money(model_field):
        return pounds(Decimal(value))
    if model_field.name == "financial_year":
        return financial_year_label(int(value))
    if model_field.name == "size":
        return filesizeformat(value)
    if isinstance(value, datetime):
        return date_filter(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return date_filter(value, "j M Y")
    return str(value)


def _load_related(model, changed_values: list[tuple[models.Field, object]]) -> dict:
    """Fetch every object a foreign key in the changes points to: one query per related model."""
    wanted: dict = {}
    for model_field, value in changed_values:
        if isinstance(model_field, models.ForeignKey) and value not in (None, ""):
            wanted.setdefault(model_field.related_model, set()).add(value)
    objects = {}
    for related_model, pks in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=pks):
            objects[(related_model, obj.pk)] = obj
    return objects


def differences(before: models.Model, after: models.Model, names: Iterable[str]) -> list[FieldChange]:
    """The named fields whose values differ between two copies of one object, as people read
    them (`old` from `before`, `new` from `after`)."""
    fields = [before._meta.get_field(name) for name in names]
    changed = [
        (f, f.value_from_object(before), f.value_from_object(after))
        for f in fields
        if f.concrete and f.value_from_object(before) != f.value_from_object(after)
    ]
    objects = _load_related(type(before), [(f, value) for f, old, new in changed for value in (old, new)])
    return [
        FieldChange(label=str(capfirst(f.verbose_name)), old=_display(f, old, objects), new=_display(f, new, objects))
        for f, old, new in changed
    ]


def history_entries(*histories, subject=str, hide: Iterable[str] = ()) -> list[HistoryEntry]:
    """Readable entries, newest first, from one or more historical querysets.

    `subject` names the object a record is about (for example "Document v2");
    `hide` names fields not worth showing on this page (the parent a child belongs to)."""
    ignored = IGNORED_FIELDS | set(hide)
    records = sorted(
        chain.from_iterable(h.select_related("history_user") for h in histories),
        key=lambda r: (r.history_date, r.history_id),
        reverse=True,
    )
    # Pair each record with its predecessor for the same object.
    previous: dict = {}
    # Records saved in the same instant are told apart by their order of writing.
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        key = (record.instance_type, record.id)
        record._prev = previous.get(key)
        previous[key] = record

    # Historical records are models simple_history builds at run time: untyped here.
    raw: list[tuple[Any, list[tuple[models.Field, object, object]]]] = []
    for record in records:
        model = record.instance_type
        # Only the fields the history keeps (a model may exclude derived ones).
        kept = {f.attname for f in type(record)._meta.concrete_fields}
        fields = [
            f for f in model._meta.concrete_fields if f.name not in ignored and not f.primary_key and f.attname in kept
        ]
        rows = []
        for f in fields:
            new = getattr(record, f.attname)
            old = getattr(record._prev, f.attname) if record._prev is not None else None
            if record.history_type == "+" and new in (None, ""):
                continue
            if record.history_type == "~" and old == new:
                continue
            if record.history_type == "-":
                continue
            rows.append((f, old, new))
        raw.append((record, rows))

    entries = []
    related_values = [(f, v) for _, rows in raw for f, old, new in rows for v in (old, new)]
    objects = {}
    for model in {r.instance_type for r, _ in raw}:
        objects.update(_load_related(model, [fv for fv in related_values if fv[0].model is model]))
    for record, rows in raw:
        # A save that changed nothing is left out, unless it says why it was made (a merge, say).
        if record.history_type == "~" and not rows and not getattr(record, "history_change_reason", None):
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "System",
                action=ACTIONS.get(record.history_type, record.history_type),
                subject=subject(record.instance),
                reason=getattr(record, "history_change_reason", None) or "",
                changes=[
                    FieldChange(
                        label=str(capfirst(f.verbose_name)),
                        old=_display(f, old, objects) if record.history_type == "~" else "",
                        new=_display(f, new, objects),
                    )
                    for f, old, new in rows
                ],
            )
        )
    return entries


def history_user_set(instance: models.Model, user: object) -> None:
    """Name the person on the history record that the next save() of `instance` writes.

    django-simple-history reads `_history_user` from the instance but declares it nowhere,
    so the one untyped assignment lives here rather than at every call site."""
    instance._history_user = user  # type: ignore[attr-defined]  # set for simple_history, declared by no model
