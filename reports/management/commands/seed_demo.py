import json

from django.core.management.base import BaseCommand

from reports import demo


class Command(BaseCommand):
    help = "Create (or complete) the demo bureau tree, periods, personas and reports. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print only the personas and bureaus as JSON.")
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also add N extra county bureaus with a clerk (c<code>_staff) and filled reports (load tests).",
        )

    def handle(self, *args, **options):
        if options["scale"]:
            demo.seed_scaled(options["scale"])
        else:
            demo.seed()
        if options["json"]:
            payload = {
                "personas": [
                    {"username": p.username, "password": p.password, "role": p.role, "bureau_code": p.bureau_code}
                    for p in demo.personas()
                ],
                "bureaus": demo.bureaus_json(),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {demo.DEMO_PASSWORD}):"))
        for p in demo.personas():
            self.stdout.write(f"  {p.username:<22} {p.role:<9} {p.bureau_code}  {p.name}")
