"""`govsite serve_demo_sites`: serve the demo's non-hosted sites on loopback and keep the monitor there.

Started by `make run` next to the web server: serves every running registry entry of the demo that the
platform does not host (with its planted defects, demo/data.py), writes the host map the monitor reads
(GOVSITE_MONITOR_HOST_MAP) and, with --queue-scan, queues a first scan of the region. Runs until stopped.
"""

from __future__ import annotations

import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govsite.demo.sites import serve_demo_sites


class Command(BaseCommand):
    help = "在本机提供演示区非托管网站（含预设问题），写入监测地址表，使网站监测不访问外部网络。仅用于开发和演示环境。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--web", default="127.0.0.1:8000", help="平台 Web 服务地址（托管站点在此访问），默认 127.0.0.1:8000")
        parser.add_argument("--queue-scan", action="store_true", help="启动后立即排队一次全区网站监测和可用性探测")

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "GOVSITE_ALLOW_DEMO", False):
            raise CommandError("当前环境不允许运行演示（GOVSITE_ALLOW_DEMO 未开启）。")
        target = getattr(settings, "GOVSITE_MONITOR_HOST_MAP", None)
        if not isinstance(target, str | Path):
            raise CommandError("GOVSITE_MONITOR_HOST_MAP 应为监测地址表文件路径。")
        region = serve_demo_sites(options["web"], as_of=timezone.localdate())
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        try:
            region.write(Path(target))
            served = sum(1 for address in region.host_map.values() if address != options["web"])
            self.stdout.write(f"  演示网站：{len(region.host_map)} 个网站映射到本机（非托管 {served} 个），地址表 {target}")
            if options["queue_scan"]:
                from govsite.monitoring.tasks import probe_all_task, schedule_region_scan

                # The hosted sites are served by the web server `make run` starts after this command: a scan
                # queued before it listens would find every hosted site 无法访问 (a false veto).
                if not wait_for_listener(options["web"], timeout=120.0, stop=stop):
                    self.stderr.write(f"  Web 服务 {options['web']} 未在 120 秒内就绪，未排队首次监测。")
                    stop.wait()
                    return
                schedule_region_scan.delay()
                probe_all_task.delay()  # beat's first probe round would come only after its interval
                self.stdout.write("  已排队全区网站监测和可用性探测，结果稍后见 /admin/monitoring/")
            self.stdout.flush()
            stop.wait()
        finally:
            region.stop()


def wait_for_listener(address: str, *, timeout: float, stop: threading.Event | None = None) -> bool:
    """Whether something accepts TCP connections at HOST:PORT within `timeout` seconds."""
    host, _, port = address.rpartition(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (stop and stop.is_set()):
        try:
            with socket.create_connection((host, int(port)), timeout=1.0):
                return True
        except OSError:
            time.sleep(0.2)
    return False
