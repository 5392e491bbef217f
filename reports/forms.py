"""Forms of the clerk's workspace (validation only; services do the writing)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Bureau, ReportingPeriod, Section
from .text import clean_text


class CleanInputMixin:
    """A form whose submitted text is cleaned (reports.text.clean_text) before anything validates
    it, so a pasted control character is dropped instead of refusing or breaking the documents."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "lists"):
            cleaned = data.copy()
            for key, values in data.lists():
                cleaned.setlist(key, [clean_text(v) if isinstance(v, str) else v for v in values])
            data = cleaned
        elif data is not None:
            data = {k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()}
        super().__init__(data, *args, **kwargs)


class ReportStartForm(forms.Form):
    bureau = forms.ModelChoiceField(queryset=Bureau.objects.all(), widget=forms.HiddenInput)
    period = forms.ModelChoiceField(queryset=ReportingPeriod.objects.filter(is_open=True), widget=forms.HiddenInput)
    carry_over_plan = forms.BooleanField(label=_("Carry over last period's plan items"), required=False)


class SectionForm(CleanInputMixin, forms.Form):
    """One section's heading and text, with the version the clerk started from."""

    heading = forms.CharField(label=_("Heading"), max_length=Section._meta.get_field("heading").max_length)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, section: Section, **kwargs):
        self.section = section
        kwargs.setdefault("prefix", f"s{section.pk}")
        kwargs.setdefault("initial", {"heading": section.heading, "body": section.body, "version": section.version})
        super().__init__(*args, **kwargs)
        self.fields["heading"].widget.attrs.update({"class": "form-control hr-heading-input", "autocomplete": "off"})
        self.fields["body"].widget.attrs.update(
            {"class": "form-control hr-body-input", "placeholder": _("Write the text here, one paragraph per line.")}
        )


class SectionAddForm(forms.Form):
    heading = forms.CharField(label=_("Heading of the new section"), max_length=300)
    parent = forms.TypedChoiceField(label=_("Place it under"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, parents: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(top level)")), *parents]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("heading", wrapper_class="mb-2"),
            Field("parent", wrapper_class="mb-2"),
            Submit("add", _("Add section"), css_class="btn-outline-primary btn-sm"),
        )
