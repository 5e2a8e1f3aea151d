"""The audited history of the register's models: simple-history's HistoricalRecords, its manager made once.

simple-history builds the manager behind `Model.history` anew at every use, a new class made from the
history's queryset class each time, and every save of an audited model uses it once to write its history
row. Made once here, that is a dictionary lookup. Every audited model declares
`history = HistoricalRecords(...)` from this module."""

from functools import cache

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords as SimpleHistoryRecords


class HistoryManagerMadeOnce(HistoryManager):
    @classmethod
    @cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(SimpleHistoryRecords):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("history_manager", HistoryManagerMadeOnce)
        super().__init__(*args, **kwargs)
