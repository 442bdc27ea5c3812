"""The embedded broker (嵌入式消息队列): kombu's filesystem transport, with a task kept until it is acknowledged.

kombu's filesystem transport deletes a message file the moment a worker takes it; the acknowledgement is only
in that worker's memory, so a worker killed mid-task (SIGKILL, OOM, power) loses the task: only a warm
shutdown puts unacknowledged messages back. This transport keeps the file instead:

- taking a message moves (renames) its file from the queue folder into ``processing/<owner>/``, where one
  owner folder belongs to one channel of one living process, held by a POSIX lock while it lives;
- acknowledging deletes the file; rejecting with requeue (or a warm shutdown) puts a copy back and deletes it;
- whenever a channel starts taking messages, and then every ``recover_interval`` seconds, it moves the files of
  every owner whose lock is free (a dead process) back into the queue, marked ``redelivered``.

So a task that was running when its worker died runs again when any worker next polls (with
``task_acks_late``). Enabled in settings by ``CELERY_BROKER_TRANSPORT`` for ``filesystem://`` (settings/base.py,
任务可靠性). One machine only, like the filesystem transport itself: POSIX locks are not reliable on NFS.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import socket
import time
import uuid
from pathlib import Path
from typing import Any

from kombu.transport import filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

LOCK_NAME = ".lock"
RECOVER_INTERVAL = 30.0

# Owner folders opened by this process, by name → pid: a process must never open the lock file of its own
# folder to probe it (closing any descriptor of a file drops the process's POSIX lock on it). A forked child
# has another pid, holds no lock, and probes its parent's folders like anyone else's.
_own_folders: dict[str, int] = {}


class QoS(virtual.QoS):
    """Acknowledging (or rejecting) a message deletes its file from the owner folder."""

    def ack(self, delivery_tag: str) -> None:
        super().ack(delivery_tag)
        self.channel._forget(delivery_tag)

    def reject(self, delivery_tag: str, requeue: bool = False) -> None:
        super().reject(delivery_tag, requeue=requeue)  # a requeue is written back before the file is deleted
        self.channel._forget(delivery_tag)


class Channel(filesystem.Channel):
    """Filesystem channel whose taken messages wait in its owner folder until acknowledged."""

    QoS = QoS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._taken: dict[str, Path] = {}
        self._owner: Path | None = None
        self._owner_lock: int | None = None
        self._recovered_at: float | None = None

    @property
    def processing_folder(self) -> Path:
        return Path(self.transport_options.get("processing_folder") or Path(self.data_folder_in) / "processing")

    @property
    def recover_interval(self) -> float:
        return float(self.transport_options.get("recover_interval", RECOVER_INTERVAL))

    # -- putting and taking --------------------------------------------------------------------------------

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        """Write the message under a hidden name, then rename it into the queue: never read half-written."""
        name = f"{int(round(time.monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        _write_then_rename(Path(self.data_folder_out), name, str_to_bytes(dumps(payload)))

    def _get(self, queue: str) -> Any:
        """Take the oldest message of `queue` by renaming it into this channel's owner folder (one taker wins)."""
        owner = self._owner_folder()
        if self._recovered_at is None or time.monotonic() - self._recovered_at >= self.recover_interval:
            self.recover_orphans()
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            taken = owner / name
            try:
                os.rename(os.path.join(self.data_folder_in, name), taken)
            except OSError:
                continue  # another worker took it first
            payload = loads(bytes_to_str(taken.read_bytes()))
            self._taken[payload["properties"]["delivery_tag"]] = taken
            return payload
        raise filesystem.Empty()

    def _restore(self, message: Any) -> None:
        super()._restore(message)
        self._forget(message.delivery_tag)

    def _forget(self, delivery_tag: str) -> None:
        taken = self._taken.pop(delivery_tag, None)
        if taken is not None:
            taken.unlink(missing_ok=True)

    # -- owners ------------------------------------------------------------------------------------------------

    def _owner_folder(self) -> Path:
        """This channel's folder under processing/, created under a hidden name, locked, then renamed into
        place, so that no other process ever sees it unlocked."""
        if self._owner is not None:
            return self._owner
        self.processing_folder.mkdir(parents=True, exist_ok=True)
        name = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        staging = self.processing_folder / f".{name}"
        staging.mkdir()
        fd = os.open(staging / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(staging, self.processing_folder / name)
        _own_folders[name] = os.getpid()
        self._owner, self._owner_lock = self.processing_folder / name, fd
        return self._owner

    def recover_orphans(self) -> int:
        """Move the messages of every dead owner back into the queue (marked redelivered); return how many."""
        self._recovered_at = time.monotonic()
        restored = 0
        try:
            folders = [entry for entry in os.scandir(self.processing_folder) if entry.is_dir()]
        except FileNotFoundError:
            return 0
        for entry in folders:
            if entry.name.startswith(".") or _own_folders.get(entry.name) == os.getpid():
                continue
            restored += self._recover_owner(Path(entry.path))
        if restored:
            logger.warning("Restored %d message(s) of a stopped worker to the queue.", restored)
        return restored

    def _recover_owner(self, folder: Path) -> int:
        try:
            fd = os.open(folder / LOCK_NAME, os.O_RDWR)
        except OSError:
            return 0  # another process is recovering it, or has just done so
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return 0  # its owner is alive
            restored = 0
            for message in sorted(folder.glob("*.msg")):
                payload = loads(bytes_to_str(message.read_bytes()))
                payload.setdefault("headers", {})["redelivered"] = True
                payload["properties"].setdefault("delivery_info", {})["redelivered"] = True
                _write_then_rename(Path(self.data_folder_in), message.name, str_to_bytes(dumps(payload)))
                message.unlink()
                restored += 1
            shutil.rmtree(folder, ignore_errors=True)
            return restored
        finally:
            os.close(fd)

    def close(self) -> None:
        super().close()  # a warm shutdown restores unacknowledged messages (and deletes their files) first
        if self._owner is not None:
            _own_folders.pop(self._owner.name, None)
            if not any(self._owner.glob("*.msg")):
                shutil.rmtree(self._owner, ignore_errors=True)
            if self._owner_lock is not None:
                os.close(self._owner_lock)  # whatever is left is recovered by the next worker
            self._owner = self._owner_lock = None


class Transport(filesystem.Transport):
    """kombu's filesystem transport with acknowledgements kept on disk (see the module docstring)."""

    Channel = Channel


def _write_then_rename(folder: Path, name: str, data: bytes) -> None:
    hidden = folder / f".{name}.tmp"
    with open(hidden, "wb") as handle:
        handle.write(data)
    os.rename(hidden, folder / name)

