"""Create one demo user per role, plus an administrator, and print their logins (development only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from powcases import roles

# Fixed demo passwords: printed on purpose, and refused outside DEBUG so they never reach production.
DEMO_USERS: list[tuple[str, str | None, str]] = [
    ("case_officer", roles.CASE_OFFICER, "demo-case-officer"),
    ("medical_officer", roles.MEDICAL_OFFICER, "demo-medical-officer"),
    ("legal_reviewer", roles.LEGAL_REVIEWER, "demo-legal-reviewer"),
    ("exchange_coordinator", roles.EXCHANGE_COORDINATOR, "demo-exchange-coordinator"),
    ("auditor", roles.AUDITOR, "demo-auditor"),
    ("admin", None, "demo-admin-password"),
]


class Command(BaseCommand):
    help = "Create the demo users (one per role and an administrator) with fixed passwords. DEBUG only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo users with published passwords while DEBUG is off (production). "
                "Create real accounts with `manage.py createsuperuser` and assign roles in the admin."
            )
        User = get_user_model()
        rows: list[tuple[str, str, str]] = []
        with transaction.atomic():
            for username, role, password in DEMO_USERS:
                user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
                user.is_staff = True
                user.is_superuser = role is None
                user.set_password(password)
                user.save()
                if role is not None:
                    # Exactly one role each, so the demo shows what that role alone may do.
                    user.groups.set([Group.objects.get(name=role)])
                rows.append((username, password, role or "Superuser (all permissions)"))
        self.stdout.write(self.style.SUCCESS("Demo users (log in at /admin/):"))
        width = max(len(name) for name, _, _ in rows)
        for username, password, role in rows:
            self.stdout.write(f"  {username.ljust(width)}  password: {password.ljust(26)}  role: {role}")
