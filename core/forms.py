"""Form pieces every app uses: the date widget, a quick <select> and text box, and the register's range of dates."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.html import format_html, format_html_join

from core.dates import validate_register_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _attributes(attrs: dict) -> str:
    """HTML attributes in their given order, as django/forms/widgets/attrs.html writes them."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A <select> written out in Python instead of through a template per option: the same HTML at a
    fraction of the cost, for forms on pages asked for all day (the register's filters). Option groups
    are left to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group_name for group_name, _options, _index in groups):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), _attributes(option["attrs"]), option["label"])
                for _group_name, group_options, _index in groups
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>\n{}\n</select>', widget["name"], _attributes(widget["attrs"]), options)


class QuickTextInput(forms.TextInput):
    """A text box written out in Python (as django/forms/widgets/input.html writes it), for the same
    busy filter forms as QuickSelect."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, _attributes(widget["attrs"])
        )


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
