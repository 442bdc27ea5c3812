"""govsite repair_sites [--site 网站标识码]: repair every hosted site (or one) as the system actor: missing role
groups, workflow and the uniform 政府信息公开 column tree (content/disclosure_site.py). Existing content is kept.
Run once after upgrading, so that sites hosted before the structure existed get it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsite.core.access import SYSTEM
from govsite.registry.models import Website

from ...services import do_provision_hosted_site


class Command(BaseCommand):
    help = "修复托管网站（补齐角色组、审核流程和政府信息公开栏目），以“系统”身份执行并记入审计日志。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--site", help="只修复该网站标识码的网站")

    def handle(self, *args: Any, **options: Any) -> None:
        websites = Website.objects.filter(wagtail_site__isnull=False).order_by("site_code")
        if options["site"]:
            websites = websites.filter(site_code=options["site"])
            if not websites.exists():
                raise CommandError(f"没有网站标识码为 {options['site']} 的托管网站。")
        for website in websites:
            do_provision_hosted_site(website, by=SYSTEM)
            self.stdout.write(f"已修复：{website.name}（{website.site_code}）")
