"""Forms of the review pages. The services check everything that matters; these only collect input."""

from __future__ import annotations

from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


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
