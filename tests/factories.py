"""factory_boy factories for the core models."""

import datetime

import factory
from django.contrib.auth import get_user_model

from indicators.models import IndicatorDefinition, IndicatorValue
from reports.models import Bureau, Membership, Report, ReportingPeriod, Section


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "pw-for-tests-1")
        if create:
            obj.save(update_fields=["password"])


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{510000 + n * 100:06d}")
    name = factory.Sequence(lambda n: f"测试{n}卫生健康局")
    short_name = factory.LazyAttribute(lambda b: b.name[:6])
    level = Bureau.Level.COUNTY
    parent = None
    created_on = None  # on the portal since before any period: held to every deadline


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    bureau = factory.SubFactory(BureauFactory)
    role = Membership.Role.STAFF


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("year", "kind")

    year = 2025
    kind = ReportingPeriod.Kind.ANNUAL
    start = factory.LazyAttribute(lambda p: ReportingPeriod.default_dates(p.year, p.kind)[0])
    end = factory.LazyAttribute(lambda p: ReportingPeriod.default_dates(p.year, p.kind)[1])
    deadline = factory.LazyAttribute(lambda p: p.end + datetime.timedelta(days=15))
    is_open = True


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    bureau = factory.SubFactory(BureauFactory)
    period = factory.SubFactory(PeriodFactory)
    title = factory.LazyAttribute(lambda r: f"{r.bureau.name}{r.period.year}年工作总结")
    state = Report.State.DRAFT


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    report = factory.SubFactory(ReportFactory)
    parent = None
    position = factory.Sequence(lambda n: n + 1)
    kind = Section.Kind.WORK_DONE
    heading = factory.Sequence(lambda n: f"第{n}项工作")
    body = "开展了相关工作。"


class DefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorDefinition
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"indicator_{n}")
    name_zh = factory.Sequence(lambda n: f"指标{n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "人"
    kind = IndicatorDefinition.Kind.COUNT


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    report = factory.SubFactory(ReportFactory)
    definition = factory.SubFactory(DefinitionFactory)
    value = 1
