"""`serve_demo_sites --queue-scan` queues the first scan only once the web server listens: a scan queued
before would find every hosted site 无法访问, a false veto on the demo portal right after `make run`."""

from __future__ import annotations

import socket
import threading

from govsite.demo.management.commands.serve_demo_sites import wait_for_listener
from govsite.testing.fakesite import closed_port


def test_wait_for_listener_says_no_while_nothing_listens() -> None:
    assert wait_for_listener(f"127.0.0.1:{closed_port()}", timeout=0.5) is False


def test_wait_for_listener_says_yes_once_the_server_listens() -> None:
    port = closed_port()
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def start_later() -> None:
        server.bind(("127.0.0.1", port))
        server.listen()

    timer = threading.Timer(0.5, start_later)
    timer.start()
    try:
        assert wait_for_listener(f"127.0.0.1:{port}", timeout=10.0) is True
    finally:
        timer.join()
        server.close()


def test_wait_for_listener_stops_when_told_to() -> None:
    stop = threading.Event()
    stop.set()
    assert wait_for_listener(f"127.0.0.1:{closed_port()}", timeout=10.0, stop=stop) is False
