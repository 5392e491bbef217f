"""Import an existing report's text into a draft (issue 7): paste or upload, check the outline and
the matched figures beside the original, untick what is wrong, confirm. The text is kept in the
session between the steps and parsed again on confirm; nothing the browser sends back is trusted
beyond which boxes stay ticked."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from indicators.models import IndicatorDefinition

from .. import policy
from ..forms import ImportTextForm
from ..importing import service as import_service
from ..importing.service import ImportSelection, path_key, text_parse
from ..importing.structure import OutlineDocument, OutlineSection
from ..models import Section
from ..services import ServiceError

SESSION_KEY = "report_import:%s"
# The preview shows this much text in full (a long yearly report); past it, headings only, so that
# the page stays small for the largest text allowed (IMPORT_MAX_CHARS).
PREVIEW_CHARS = 80_000
PREVIEW_FIGURES = 300  # matched figures listed; later ones are kept unless their section is unticked
PREVIEW_NOTICES = 20


@dataclass
class SectionView:
    key: str
    number: str
    heading: str
    kind: str
    kind_label: str
    paragraphs: list[list[tuple[str, int | None]]]  # segments: (text, figure index if a figure)
    children: list[SectionView] = field(default_factory=list)
    rest: str = ""  # the children not shown (ImportSelection.rest), kept whole
    more: int = 0  # how many children are not shown


def _segments(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[str, int | None]]:
    out, at = [], 0
    for start, end, index in sorted(spans):
        if start < at:
            continue
        if start > at:
            out.append((text[at:start], None))
        out.append((text[start:end], index))
        at = end
    if at < len(text):
        out.append((text[at:], None))
    return out


class _Budget:
    """How much of the outline the preview still shows in full; a section costs its heading and
    a fixed share for its checkbox."""

    def __init__(self, chars: int) -> None:
        self.left = chars
        self.hidden = 0

    def take(self, text: str, *, overhead: int = 0) -> bool:
        if self.left <= 0:
            self.hidden += 1
            return False
        self.left -= len(text) + overhead
        return True


def _section_views(doc: OutlineDocument, budget: _Budget) -> tuple[SectionView, list[list[tuple[str, int | None]]]]:
    """The outline as shown in the preview (a root holding the top sections), and the lead."""
    kinds = dict(Section.Kind.choices)
    spans: dict[tuple, list[tuple[int, int, int]]] = {}
    for index, figure in enumerate(doc.figures):
        if figure.indicator:
            spans.setdefault((figure.section, figure.paragraph), []).append((figure.start, figure.end, index))

    def paragraphs(path, texts: list[str]) -> list[list[tuple[str, int | None]]]:
        return [_segments(p, spans.get((path, i), [])) for i, p in enumerate(texts) if budget.take(p)]

    def fill(view: SectionView, children: list[OutlineSection], path: tuple[int, ...]) -> SectionView:
        for i, child in enumerate(children):
            if budget.left <= 0:
                view.rest, view.more = f"{path_key(path) if path else ''}:{i}", len(children) - i
                break
            budget.take(child.heading, overhead=200)
            view.children.append(
                fill(
                    SectionView(
                        key=path_key(path + (i,)),
                        number=child.number,
                        heading=child.heading,
                        kind=child.kind,
                        kind_label=str(kinds.get(child.kind, child.kind)),
                        paragraphs=paragraphs(path + (i,), child.paragraphs),
                    ),
                    child.children,
                    path + (i,),
                )
            )
        return view

    lead = paragraphs(None, doc.lead)
    root = fill(SectionView(key="", number="", heading="", kind="", kind_label="", paragraphs=[]), doc.sections, ())
    return root, lead


def _figure_rows(doc: OutlineDocument) -> list[dict]:
    names = dict(IndicatorDefinition.objects.values_list("slug", "name_zh"))
    numbers = {path: s.number + s.heading for path, s in doc.walk()}
    rows = []
    for index, figure in enumerate(doc.figures):
        if not figure.indicator:
            continue
        rows.append(
            {
                "index": index,
                "figure": figure,
                "indicator": names.get(figure.indicator, figure.indicator),
                "section": numbers.get(figure.section, "") if figure.section is not None else "",
            }
        )
    return rows


_DOC_HEADER = re.compile(r"(?m)^(?=[ \t\u3000]*第[一二三四五六七八九十百零\d]{1,4}篇)")


def _original_of(text: str, number: int, count: int) -> str:
    """The part of the pasted text that holds document `number` of `count` (all of it when the
    parts cannot be told apart)."""
    if count < 2:
        return text
    parts = _DOC_HEADER.split(text)
    return parts[number] if len(parts) == count + 1 else text


def _parsed(stored: dict):
    return text_parse(text=stored["text"], simplify=bool(stored.get("simplify")))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _document_number(request: HttpRequest, count: int) -> int:
    try:
        number = int(request.POST.get("document") or request.GET.get("document") or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), max(count, 1))


@login_required
def report_import(request: HttpRequest, pk: int) -> HttpResponse:
    report = policy.access_report(request.user, pk, "import")
    key = SESSION_KEY % report.pk
    stored = request.session.get(key)
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "confirm":
        if not stored or request.POST.get("digest") != stored.get("digest"):
            messages.error(request, _("The text to import has changed or expired; please check it again."))
            return redirect("report_import", pk=report.pk)
        result = _parsed(stored)
        doc = result.documents[_document_number(request, len(result.documents)) - 1]
        selection = ImportSelection(
            sections=set(request.POST.getlist("section")),
            figures={int(v) for v in request.POST.getlist("figure") if v.isdigit()},
            rest=set(request.POST.getlist("rest")),
            figures_from=int(request.POST["figures_from"]) if request.POST.get("figures_from", "").isdigit() else None,
        )
        try:
            saved = import_service.report_import(
                bureau=report.bureau,
                period=report.period,
                outline_document=doc,
                acting_user=request.user,
                selected=selection,
                replace_title=request.POST.get("title") == "found",
            )
        except (ServiceError, PermissionDenied) as exc:
            messages.error(request, str(exc) if isinstance(exc, ServiceError) else _("You may not do this."))
            return redirect(reverse("report_import", args=[report.pk]) + "?step=preview")
        del request.session[key]
        messages.success(
            request,
            _("Imported %(sections)s sections and %(values)s indicator values.")
            % {"sections": saved.sections, "values": len(saved.values)},
        )
        for warning in saved.warnings:
            messages.warning(request, warning)
        return redirect("report_edit", pk=report.pk)

    if action == "preview":
        form = ImportTextForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.cleaned_data["text"]
            request.session[key] = {"text": text, "digest": _digest(text), "simplify": form.cleaned_data["simplify"]}
            return redirect(reverse("report_import", args=[report.pk]) + "?step=preview")
        return render(request, "reports/import.html", {"report": report, "form": form})

    if action == "simplify" and stored:
        request.session[key] = {**stored, "simplify": True}
        return redirect(reverse("report_import", args=[report.pk]) + "?step=preview")

    if request.GET.get("step") == "preview" and stored:
        result = _parsed(stored)
        number = _document_number(request, len(result.documents))
        doc = result.documents[number - 1]
        budget = _Budget(PREVIEW_CHARS)
        outline, lead = _section_views(doc, budget)
        figures = _figure_rows(doc)
        original = _original_of(stored["text"], number, len(result.documents))
        return render(
            request,
            "reports/import_preview.html",
            {
                "report": report,
                "original": original[:PREVIEW_CHARS],
                "original_cut": max(len(original) - PREVIEW_CHARS, 0),
                "digest": stored["digest"],
                "documents": [(i, d.title) for i, d in enumerate(result.documents, start=1)],
                "number": number,
                "doc": doc,
                "outline": outline,
                "sections": outline.children,
                "lead": lead,
                "hidden_paragraphs": budget.hidden,
                "figures": figures[:PREVIEW_FIGURES],
                "figures_from": figures[PREVIEW_FIGURES]["index"] if len(figures) > PREVIEW_FIGURES else None,
                "figures_more": max(len(figures) - PREVIEW_FIGURES, 0),
                "unmatched": len(doc.figures) - len(figures),
                "notices": [n.translated() for n in doc.notices[:PREVIEW_NOTICES]],
                "notices_more": max(len(doc.notices) - PREVIEW_NOTICES, 0),
                "title_differs": bool(doc.title) and doc.title != report.title,
            },
        )
    initial = {"text": stored["text"]} if stored else None
    return render(request, "reports/import.html", {"report": report, "form": ImportTextForm(initial=initial)})


urlpatterns = [
    path("reports/<int:pk>/import/", report_import, name="report_import"),
]
