"""``manage.py keys list | show NAME | rotate NAME | ensure`` — key custody by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from mobsec.platform.keys import custody


class Command(BaseCommand):
    help = (
        "List, show (public key), rotate or create the platform's signing keys / 管理平台签名密钥"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "show", "rotate", "ensure"])
        parser.add_argument("name", nargs="?")

    def handle(self, *args, action, name=None, **options):
        try:
            if action == "ensure":
                for path in custody.ensure():
                    self.stdout.write(str(path))
            elif action == "list":
                for n in sorted({p.name.split(".")[0] for p in custody.key_dir().glob("*.pem")}):
                    ids = ", ".join(custody.public_keys(n))
                    self.stdout.write(f"{n}\t{ids}")
            elif not name:
                raise CommandError(f"{action} needs a key name / 需要密钥名称")
            elif action == "show":
                self.stdout.write(custody.public_key_pem(name), ending="")
            else:
                old, new = custody.rotate(name)
                self.stdout.write(f"{name}: {old} retired, {new} current")
        except custody.KeyCustodyError as e:
            raise CommandError(f"{e.en} / {e.zh}") from e
