"""Forms of the indicator pages: the roll-up and export choosers, the spreadsheet upload."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from reports.models import ReportingPeriod
from reports.periods import period_ordering


def _bureau_choices(bureaus) -> list[tuple[str, str]]:
    return [(b.code, ("\u3000" * b.depth) + b.name) for b in bureaus]


class RollupForm(forms.Form):
    bureau = forms.ChoiceField(label=_("Bureau"))
    period = forms.ChoiceField(label=_("Period"))
    approved = forms.BooleanField(label=_("Approved reports only"), required=False)

    def __init__(self, *args, bureaus, stacked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].choices = _bureau_choices(bureaus)
        self.fields["period"].choices = [
            (p.code, p.label) for p in ReportingPeriod.objects.order_by(*period_ordering())
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("indicators:rollup")
        self.helper.disable_csrf = True
        submit = Submit("show", _("Show"), css_class="btn-primary")
        if stacked:  # a narrow card
            self.helper.layout = Layout(
                "bureau", Row(Column("period"), Column("approved", css_class="pt-4 mt-2")), submit
            )
        else:
            self.helper.layout = Layout(
                Row(
                    Column("bureau", css_class="col-md-4"),
                    Column("period", css_class="col-md-3"),
                    Column("approved", css_class="col-md-3 pt-md-4 mt-md-2"),
                    Column(submit, css_class="col-md-2 pt-md-4"),
                )
            )


class ExportForm(forms.Form):
    FORMATS = [("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (UTF-8)"))]

    bureau = forms.ChoiceField(label=_("Bureau"))
    year_from = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx")
    approved = forms.BooleanField(label=_("Approved reports only"), required=False)

    def __init__(self, *args, bureaus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].choices = _bureau_choices(bureaus)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("indicators:export")
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "bureau",
            Row(Column("year_from"), Column("year_to"), Column("format", css_class="col-md-5")),
            "approved",
            Submit("download", _("Download"), css_class="btn-primary"),
        )

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise forms.ValidationError(_("The first year must not be after the last year."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
