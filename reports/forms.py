"""The forms of the reports app: the clerk's workspace, the text import, the review pages and the
batch export. They collect and validate input; the services check everything that matters and write."""

from __future__ import annotations

from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import periods, policy
from .importing.sources import SourceError, read_source
from .models import Bureau, Membership, Report, ReportingPeriod, Section
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


class ReportHeadForm(forms.Form):
    """The report's title, lead (导语: the unnumbered paragraphs before 一、) and signing date, with a
    fingerprint of what the clerk started from."""

    # A text area that grows (editor.js), so a long title wraps on a phone instead of being cut off;
    # Enter still saves, and the service joins the lines.
    title = forms.CharField(
        label=_("Title"),
        max_length=Report._meta.get_field("title").max_length,
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    lead = forms.CharField(label=_("Lead"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    signed_on = forms.DateField(
        label=_("Date signed"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm w-auto"}, format="%Y-%m-%d"
        ),
    )
    seen = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, report: Report, seen: str, **kwargs):
        kwargs.setdefault("prefix", "head")
        kwargs.setdefault(
            "initial", {"title": report.title, "lead": report.lead, "signed_on": report.signed_on, "seen": seen}
        )
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"class": "form-control hr-title-input", "autocomplete": "off"})
        self.fields["lead"].widget.attrs.update(
            {
                "class": "form-control hr-body-input hr-lead-input",
                "placeholder": _("Opening paragraphs before 一、 (optional), one paragraph per line."),
            }
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
            Submit("add", _("Add section"), css_class="btn-sm"),
        )


# ----- the text import -----


class ImportTextForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the report text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
    )
    file = forms.FileField(
        label=_("or upload a file (.txt or .docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
    )
    simplify = forms.BooleanField(label=_("Convert traditional characters to simplified"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > settings.MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    gettext("The file is larger than %(size)s MB.")
                    % {"size": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
                )
            try:
                data["text"] = read_source(upload.name, upload.read())
            except SourceError as exc:
                raise forms.ValidationError(exc.notice.translated()) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(gettext("Paste the text of a report or choose a file."))
        count, limit = len(data["text"]), settings.IMPORT_MAX_CHARS
        if count > limit:
            raise forms.ValidationError(
                gettext(
                    "The text has %(count)s characters; at most %(limit)s can be imported at once. Import it in parts."
                )
                % {"count": f"{count:,}", "limit": f"{limit:,}"}
            )
        return data


# ----- the review pages -----


def _comment_field(label: str, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control form-control-sm hr-comment-input"}),
    )


class ReviewForm(forms.Form):
    """The reviewer's decision: an overall comment (required to return, optional to approve) and a
    comment box per section (`section_<id>`) and per indicator value (`indicator_<slug>`)."""

    comment = forms.CharField(
        label=_("Comment to the bureau"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Required when you return the report."),
    )

    def __init__(self, *args, section_ids: Sequence[int] = (), slugs: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for pk in section_ids:
            self.fields[f"section_{pk}"] = _comment_field(_("Comment on this section"))
        for slug in slugs:
            self.fields[f"indicator_{slug}"] = _comment_field(_("Comment on this value"), rows=1)

    def section_comments(self) -> dict[int, str]:
        return {
            int(name.removeprefix("section_")): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("section_") and value and value.strip()
        }

    def indicator_comments(self) -> dict[str, str]:
        return {
            name.removeprefix("indicator_"): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("indicator_") and value and value.strip()
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The bureau's staff receive this reason with the reopened report."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


# ----- the batch export -----


class ExportRequestForm(forms.Form):
    bureau = forms.ModelChoiceField(label=_("Bureau"), queryset=Bureau.objects.none(), empty_label=None)
    period = forms.ModelChoiceField(label=_("Period"), queryset=ReportingPeriod.objects.all(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = Bureau.objects.filter(policy.batch_export_bureaus_q(user))


class YearSetupForm(forms.Form):
    """A year's periods, one deadline per kind of the period calendar, and whether to close the old ones."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    close_older = forms.BooleanField(label=_("Close the open periods of earlier years"), required=False, initial=True)

    def __init__(self, *args, year: int, **kwargs):
        kwargs.setdefault("initial", {})["year"] = year
        super().__init__(*args, **kwargs)
        for kind in periods.KINDS:
            label = _("Deadline of %(period)s") % {"period": periods.period_label(year, kind)}
            self.fields[f"deadline_{kind}"] = forms.DateField(
                label=label,
                initial=periods.default_dates(year, kind)[2],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def deadlines(self) -> dict:
        return {kind: self.cleaned_data[f"deadline_{kind}"] for kind in periods.KINDS}


class UserAddForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=False))
    bureau = forms.ModelChoiceField(label=_("Bureau"), queryset=Bureau.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.STAFF)

    def __init__(self, *args, bureaus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = bureaus


class RoleAssignForm(forms.Form):
    bureau = forms.ModelChoiceField(label=_("Bureau"), queryset=Bureau.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, bureaus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = bureaus
