"""The shared store of generated files: settings.STORAGES["generated"] (local filesystem, or an
S3-compatible object store when several app servers run; see docs/deploy.md)."""

from __future__ import annotations

from django.apps import apps
from django.core.files.storage import Storage, storages
from django.db import models


def generated_storage() -> Storage:
    """For FileField(storage=...): evaluated once when the model class is built."""
    return storages["generated"]


def referenced_generated_files() -> tuple[Storage, list[str]]:
    """The store and the names of all files that rows of any model keep in it (FileFields declared
    with storage=generated_storage)."""
    storage, names = storages["generated"], []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and getattr(field, "_storage_callable", None) is generated_storage:
                storage = field.storage
                names += model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
    return storage, names
