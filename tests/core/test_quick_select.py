"""The quick <select> and text box say exactly what Django's own Select and TextInput say, whitespace aside."""

import re

from django import forms

from core.forms import QuickSelect, QuickTextInput

CHOICES = [("", "Any status"), ("draft", "Draft"), ("active", "Active"), ("odd", 'Fish & "chips" <b>')]


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_the_same_options_attributes_and_choice_as_djangos_select():
    for value in ("", "active", "odd", None, "not-a-choice"):
        attrs = {"class": "form-select", "id": "id_status", "aria-describedby": "help"}
        django = forms.Select(attrs=attrs, choices=CHOICES).render("status", value)
        quick = QuickSelect(attrs=attrs, choices=CHOICES).render("status", value)
        assert _squeezed(quick) == _squeezed(django), value


def test_a_label_is_escaped_and_the_chosen_option_is_selected():
    html = QuickSelect(choices=CHOICES).render("status", "odd")
    assert '<option value="odd" selected>Fish &amp; &quot;chips&quot; &lt;b&gt;</option>' in html
    assert html.count(" selected") == 1


def test_option_groups_are_left_to_djangos_templates():
    grouped = [("Open", [("draft", "Draft"), ("active", "Active")]), ("Closed", [("expired", "Expired")])]
    html = QuickSelect(choices=grouped).render("status", "active")
    assert _squeezed(html) == _squeezed(forms.Select(choices=grouped).render("status", "active"))
    assert '<optgroup label="Open">' in html


def test_the_quick_text_box_is_djangos_text_input():
    attrs = {"class": "form-control", "placeholder": 'Name or "number"', "id": "id_supplier", "required": True}
    for value in (None, "", "Acme & Sons", 'a "quoted" <b>', 42):
        django = forms.TextInput(attrs=attrs).render("supplier", value)
        assert QuickTextInput(attrs=attrs).render("supplier", value) == django, value
