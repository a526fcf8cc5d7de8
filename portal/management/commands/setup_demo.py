from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from organisations.services import office_staff_group_ensure

DEMO_PASSWORD = "demo12345"  # noqa: S105 - printed on purpose: demo accounts on a local SQLite file only
DEMO_ACCOUNTS = [
    # username, full name, is_staff, is_superuser, in office staff group
    ("admin", "Quản trị hệ thống (minh họa)", True, True, False),
    ("phonggd.vinhbao", "Cán bộ Phòng GD&ĐT Vĩnh Bảo (minh họa)", True, False, True),
    ("lanhdao.vinhbao", "Lãnh đạo UBND huyện Vĩnh Bảo (minh họa)", False, False, False),
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu và tạo các tài khoản minh họa (chỉ dùng cho bản trình diễn)."

    def handle(self, *args, **options):
        call_command("load_seed_data", stdout=self.stdout)
        group = office_staff_group_ensure()
        User = get_user_model()
        for username, full_name, is_staff, is_superuser, in_group in DEMO_ACCOUNTS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name = full_name
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            if in_group:
                user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):"))
        for username, full_name, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<18} {full_name}")
