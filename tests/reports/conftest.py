"""Fixtures shared by the report tests."""

import pytest

from tests.reports.workflow_world import World, build_world


@pytest.fixture
def world(db) -> World:
    """The workflow's cast and a report under test (tests/reports/workflow_world.py)."""
    return build_world()
