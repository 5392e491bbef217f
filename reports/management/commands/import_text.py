import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from reports.importing.service import report_import, text_parse
from reports.importing.sources import SourceError, read_source
from reports.models import Bureau, Membership, ReportingPeriod
from reports.services import ServiceError


class Command(BaseCommand):
    help = (
        "Import an existing report's text (.txt in UTF-8, UTF-16, GB18030 or Big5, or .docx) as a bureau's report "
        "for a period: sections and the indicator values of the figures matched to the catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .txt or .docx file.")
        parser.add_argument("--bureau", required=True, help="The bureau's six-digit division code.")
        parser.add_argument("--period", required=True, help="The period: 2022, 2022H1 or 2022H2.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print only the parsed outline as JSON.")
        parser.add_argument(
            "--document", type=int, default=None, help="Which document to save when the file holds several (1-based)."
        )
        parser.add_argument(
            "--use-title",
            action="store_true",
            help="Give the report the title found in the text (default: keep its own).",
        )
        parser.add_argument(
            "--keep-traditional",
            action="store_true",
            help="Keep traditional characters (default: convert to simplified).",
        )
        parser.add_argument(
            "--user", default=None, help="Username recorded as the author (default: the bureau's first staff member)."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        try:
            text = read_source(path.name, data)
        except SourceError as exc:
            raise CommandError(f"{path}: {exc}") from None
        bureau = Bureau.objects.filter(code=options["bureau"]).first()
        if bureau is None:
            raise CommandError(f"No bureau with the code {options['bureau']!r}.")
        try:
            year, kind = ReportingPeriod.parse_code(options["period"])
        except ValueError:
            raise CommandError(f"Not a reporting period: {options['period']!r} (expected e.g. 2022, 2022H1).") from None

        if len(text) > settings.IMPORT_MAX_CHARS:
            raise CommandError(
                f"{path}: {len(text):,} characters; at most {settings.IMPORT_MAX_CHARS:,} can be imported at once."
            )
        result = text_parse(text=text, simplify=not options["keep_traditional"])
        documents = result.documents
        number = options["document"]
        if number is not None and not 1 <= number <= len(documents):
            raise CommandError(f"--document must be between 1 and {len(documents)}.")
        if options["json"] and options["dry_run"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        if number is None and len(documents) > 1 and not options["dry_run"]:
            raise CommandError(f"The file holds {len(documents)} documents; choose one with --document N.")
        document = documents[(number or 1) - 1]
        if options["dry_run"]:
            self._summary(documents)
            return

        user = self._user(bureau, options["user"])
        period = self._period(year, kind)
        try:
            saved = report_import(
                bureau=bureau,
                period=period,
                outline_document=document,
                acting_user=user,
                replace_title=options["use_title"],
            )
        except (ServiceError, PermissionDenied) as exc:
            raise CommandError(str(exc) or "Not allowed.") from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "report": saved.report.pk,
                        "created": saved.created,
                        "sections": saved.sections,
                        "values": saved.values,
                        "warnings": saved.warnings,
                    },
                    ensure_ascii=False,
                )
            )
            return
        verb = "Created" if saved.created else "Replaced"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} report {saved.report.pk} «{saved.report.title}»: {saved.sections} sections, "
                f"{len(saved.values)} indicator values."
            )
        )
        for warning in saved.warnings + [str(n) for n in document.notices]:
            self.stdout.write(f"  ! {warning}")

    def _period(self, year, kind):
        """The period; a past one missing from the database is added, closed (reports of earlier
        years are what bureaus bring in)."""
        period = ReportingPeriod.objects.filter(year=year, kind=kind).first()
        if period is None:
            start, end, deadline = ReportingPeriod.default_dates(year, kind)
            period = ReportingPeriod.objects.create(
                year=year, kind=kind, start=start, end=end, deadline=deadline, is_open=False
            )
            self.stderr.write(f"Added the reporting period {period.code} (closed).")
        return period

    def _user(self, bureau, username):
        users = get_user_model().objects
        if username:
            user = users.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
            return user
        membership = (
            Membership.objects.filter(bureau=bureau, role=Membership.Role.STAFF, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            raise CommandError(f"{bureau} has no staff member to record as the author; pass --user.")
        return membership.user

    def _summary(self, documents):
        for n, doc in enumerate(documents, start=1):
            sections = list(doc.walk())
            matched = [f for f in doc.figures if f.indicator]
            self.stdout.write(f"Document {n}: {doc.title or '(no title)'}")
            for paragraph in doc.lead:
                self.stdout.write(f"  lead: {paragraph[:60]}")
            self.stdout.write(f"  {len(sections)} sections, {len(doc.figures)} figures, {len(matched)} matched")
            for path, section in sections:
                self.stdout.write(f"  {'  ' * (len(path) - 1)}{section.number}{section.heading}  [{section.kind}]")
            for figure in matched:
                self.stdout.write(f"  = {figure.indicator}: {figure.text}")
            for notice in doc.notices:
                self.stdout.write(f"  ! {notice}")
