from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from organisations.services import org_units_load
from plans.services import plan_load_document, seed_paths


class Command(BaseCommand):
    help = "Nạp đơn vị (gồm huyện minh họa) và bốn kế hoạch mẫu từ fixtures/. Chạy lại nhiều lần không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(Path(settings.BASE_DIR) / "fixtures"))

    def handle(self, *args, fixtures: str, **options):
        root = Path(fixtures)
        units = org_units_load(yaml.safe_load((root / "organisations.yaml").read_text(encoding="utf-8"))["units"])
        self.stdout.write(f"Đơn vị: {len(units)}")
        for path in seed_paths(root):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            source = root / "seeds" / data["source"] if data.get("source") else None
            text = source.read_text(encoding="utf-8") if source and source.exists() else None
            try:
                plan = plan_load_document(data=data, units=units, source_text=text)
            except ValidationError as error:
                self.stdout.write(self.style.WARNING(f"{path.name}: {' '.join(error.messages)}"))
                continue
            self.stdout.write(
                f"{path.name}: {plan.targets.count()} chỉ tiêu, {plan.tasks.count()} nhiệm vụ, "
                f"{plan.budget_lines.count()} dòng kinh phí"
            )
