"""The shared store of generated files: settings.STORAGES["generated"] (local filesystem, or an
S3-compatible object store when several app servers run; see docs/deploy.md)."""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def generated_storage() -> Storage:
    """For FileField(storage=...): evaluated once when the model class is built."""
    return storages["generated"]
