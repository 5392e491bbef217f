"""django-import-export resources for the catalogue."""

from import_export import resources

from .models import IndicatorDefinition


class IndicatorDefinitionResource(resources.ModelResource):
    class Meta:
        model = IndicatorDefinition
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = False
        use_transactions = True
        exclude = ["id"]
