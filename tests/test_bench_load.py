"""bench/load.py's section save handles a conflict as the editor does: it reads the other person's
version from the 409 page and saves over it, so a busy mix has no "errors" that are only races."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from reports.models import Report, Section

pytestmark = pytest.mark.django_db


def _load_module():
    spec = importlib.util.spec_from_file_location("bench_load", Path(__file__).parents[1] / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_section_save_version_from_json_also_after_a_conflict(demo, login):
    load = _load_module()
    client = login("xuanzhou_staff")
    report = Report.objects.get(bureau__code="341802", state=Report.State.DRAFT)
    section = Section.objects.filter(report=report, children__isnull=True).order_by("pk").first()
    url = f"/reports/{report.pk}/edit/sections/{section.pk}/"
    prefix = f"s{section.pk}"

    def save(body: str, version: int):
        form = {f"{prefix}-heading": section.heading, f"{prefix}-body": body, f"{prefix}-version": str(version)}
        return client.post(url, form, headers={"X-Requested-With": "fetch"})

    first = save("第一次", section.version)
    assert first.status_code == 200
    assert load._saved_version(200, first.content, section.pk) == section.version + 1
    stale = save("另一位同事的文字", section.version)  # the version read before the first save
    assert stale.status_code == 409
    current = load._saved_version(409, stale.content, section.pk)
    assert current == Section.objects.get(pk=section.pk).version == section.version + 1
    again = save("合并后的文字", current)
    assert again.status_code == 200
    assert Section.objects.get(pk=section.pk).body == "合并后的文字"
