"""Nothing is lost when a worker dies (任务可靠性): a real worker process is killed (SIGKILL) in the middle of
a task, a new worker is started, and the task runs again to the end, on the embedded filesystem broker and
on Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow  # starts and kills real Celery workers

ROOT = Path(__file__).resolve().parents[3]


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


class Workers:
    """Worker processes (and `celery call`) of the project's Celery app on one broker and one queue."""

    def __init__(self, broker_url: str, var_dir: Path, **env: str) -> None:
        self.queue = f"worker-lost-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "govsite.settings.test",
            "GOVSITE_TEST_BROKER": "env",
            "CELERY_BROKER_URL": broker_url,
            "GOVSITE_VAR_DIR": str(var_dir),
            **env,
        }
        self.started: list[subprocess.Popen] = []

    def celery(self, *args: str, **kwargs) -> subprocess.Popen:  # noqa: ANN003
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "govsite.celery", *args], cwd=ROOT, env=self.env, **kwargs
        )

    def start_worker(self, name: str) -> subprocess.Popen:
        # The default prefork pool: the task runs in a child process, as in production. Its own session, so
        # that the whole worker (main process and children) can be killed at once.
        process = self.celery(
            "worker", "-Q", self.queue, "-n", f"{name}@%h", "-c", "1", "--loglevel=WARNING",
            "--include", "govsite.core.tests.worker_tasks", "--without-mingle", "--without-gossip",
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def send_hold(self, marker_dir: Path) -> None:
        call = self.celery("call", "govsite.tests.hold", "--queue", self.queue, "--args", f'["{marker_dir}"]')
        assert call.wait(timeout=60) == 0

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


@pytest.fixture
def markers(tmp_path: Path) -> Path:
    folder = tmp_path / "markers"
    folder.mkdir()
    return folder


def kill_mid_task_then_restart(workers: Workers, markers: Path) -> None:
    first = workers.start_worker("first")
    workers.send_hold(markers)
    wait_for(lambda: (markers / "started-1").exists(), "the first worker to start the task")
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, mid-task
    first.wait(timeout=30)
    assert not (markers / "done-1").exists()
    (markers / "release").touch()
    workers.start_worker("second")
    wait_for(lambda: (markers / "done-2").exists(), "the task to run again on the second worker")
    assert sorted(path.name for path in markers.iterdir()) == ["done-2", "release", "started-1", "started-2"]


@pytest.fixture
def filesystem_workers(tmp_path: Path) -> Iterator[Workers]:
    workers = Workers("filesystem://", tmp_path / "var")
    yield workers
    workers.stop_all()


@pytest.fixture
def redis_workers(tmp_path: Path, redis_broker) -> Iterator[Workers]:  # noqa: ANN001
    # A short visibility timeout so that Redis gives the message again within the test (production: 2 h).
    workers = Workers(settings.REDIS_TEST_URL, tmp_path / "var", CELERY_VISIBILITY_TIMEOUT="2")
    yield workers
    workers.stop_all()


def test_task_of_a_killed_worker_runs_again_on_the_filesystem_broker(filesystem_workers, markers):
    kill_mid_task_then_restart(filesystem_workers, markers)
    processing = Path(filesystem_workers.env["GOVSITE_VAR_DIR"]) / "celery" / "processing"
    wait_for(lambda: not list(processing.glob("*/*.msg")), "the acknowledged message file to be deleted")


def test_task_of_a_killed_worker_runs_again_on_redis(redis_workers, markers):
    kill_mid_task_then_restart(redis_workers, markers)


def test_task_of_a_killed_pool_process_is_handed_back_on_the_filesystem_broker(filesystem_workers, markers):
    # The out-of-memory killer's way: only the pool process running the task dies; the worker rejects the
    # task back to the queue (task_reject_on_worker_lost) and runs it again in a new pool process.
    filesystem_workers.start_worker("only")
    filesystem_workers.send_hold(markers)
    wait_for(lambda: (markers / "started-1").exists(), "the worker to start the task")
    os.kill(int((markers / "started-1").read_text()), signal.SIGKILL)
    wait_for(lambda: (markers / "started-2").exists(), "the task to be handed back and started again")
    (markers / "release").touch()
    wait_for(lambda: (markers / "done-2").exists(), "the task to run to its end")
    assert not (markers / "done-1").exists()
