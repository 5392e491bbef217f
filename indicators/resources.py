"""django-import-export resources for the catalogue."""

from import_export import resources

from reports.text import clean_text

from .models import IndicatorDefinition


class IndicatorDefinitionResource(resources.ModelResource):
    class Meta:
        model = IndicatorDefinition
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = False
        use_transactions = True
        exclude = ["id"]

    def before_import_row(self, row, **kwargs):
        """Catalogue text is as clean as what the editor stores (reports.text.clean_text)."""
        for key, value in row.items():
            if isinstance(value, str):
                row[key] = clean_text(value)
