"""The shared indicator catalogue and the values each report gives for it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class IndicatorDefinition(models.Model):
    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        MONEY = "money", _("Amount of money")
        PERCENT = "percent", _("Percentage")
        PERMILLE = "permille", _("Per mille")
        PER_100K = "per_100k", _("Per 100,000")
        PER_1000 = "per_1000", _("Per 1,000 population")
        PER_10000 = "per_10000", _("Per 10,000 population")
        RATIO = "ratio", _("Ratio")
        YEARS = "years", _("Years")
        DAYS = "days", _("Days")

    SUMMABLE_KINDS = (Kind.COUNT, Kind.MONEY)

    class Topic(models.TextChoices):
        RESOURCES = "resources", _("Health resources")
        PUBLIC_HEALTH = "public_health", _("Basic public health services")
        MATERNAL_CHILD = "maternal_child", _("Maternal and child health")
        POPULATION = "population", _("Population and vital statistics")
        SERVICES = "services", _("Medical services")
        SUPERVISION = "supervision", _("Health supervision")
        FINANCE = "finance", _("Funding and investment")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160)
    unit = models.CharField(_("unit"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.PUBLIC_HEALTH)
    position = models.PositiveIntegerField(_("position"), default=0)
    higher_is_better = models.BooleanField(
        _("higher is better"), null=True, blank=True, help_text=_("Empty when neither direction is better.")
    )
    range_min = models.DecimalField(_("plausible minimum"), max_digits=18, decimal_places=4, null=True, blank=True)
    range_max = models.DecimalField(_("plausible maximum"), max_digits=18, decimal_places=4, null=True, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    numerator_label = models.CharField(_("numerator"), max_length=200, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=200, blank=True)
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("For rates: value = numerator / denominator × multiplier (100 for %, 1000 for ‰)."),
    )
    is_proportion = models.BooleanField(
        _("proportion"),
        default=False,
        help_text=_(
            "A part of a whole: the numerator cannot exceed the denominator, nor the value its multiplier "
            "(100 %). Off for ratios and growth, which may exceed it."
        ),
    )
    required = models.BooleanField(_("required in every report"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    aliases = models.CharField(
        _("aliases"), max_length=300, blank=True, help_text=_("Other wordings used in report text, separated by |.")
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicator catalogue")
        ordering = ["topic", "position", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(range_min__isnull=True)
                | Q(range_max__isnull=True)
                | Q(range_max__gte=models.F("range_min")),
                name="indicator_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "zh").startswith("en") else self.name_zh

    @property
    def is_rate(self) -> bool:
        return self.multiplier is not None and bool(self.denominator_label)

    @property
    def is_summable(self) -> bool:
        return self.kind in self.SUMMABLE_KINDS

    def compute_rate(self, numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
        if not self.is_rate or numerator is None or not denominator:
            return None
        return (numerator / denominator * self.multiplier).quantize(Decimal("0.01"))

    def out_of_range(self, value: Decimal | None) -> bool:
        if value is None:
            return False
        return (self.range_min is not None and value < self.range_min) or (
            self.range_max is not None and value > self.range_max
        )


class IndicatorValue(models.Model):
    """A report's figure for one indicator. No row means "not reported"; a row with an empty value
    and a note means "not available, and here is why"."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="values")
    definition = models.ForeignKey(IndicatorDefinition, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["report", "definition__topic", "definition__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "definition"], name="value_unique_per_report"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | ~Q(denominator=0), name="value_denominator_not_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.slug}={self.value}"

    @property
    def is_out_of_range(self) -> bool:
        return self.definition.out_of_range(self.value)
