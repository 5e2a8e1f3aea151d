"""Form pieces every app uses: the date widget and the register's range of dates."""

from typing import TYPE_CHECKING

from django import forms

from core.dates import validate_register_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# The mixin is only ever mixed into forms: mypy is told so, and nothing changes at run time.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class RegisterDatesMixin(_FormBase):
    """Every date and date-time field of the form takes only the register's range of dates
    (core/dates.py): a year 1 or 9999 is refused next to its field, not saved to break a page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            if isinstance(form_field, forms.DateField | forms.DateTimeField):
                form_field.validators.append(validate_register_date)
