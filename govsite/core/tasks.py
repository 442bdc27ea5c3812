"""Background work of the core app: the daily check of the audit log's hash chain (审计进程健康)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_chain_task() -> dict:
    """Walk the audit chain; a break is logged as an error and written to the log itself, where the
    审计管理员 sees it (审计日志校验失败), so tampering does not wait for someone to run the command."""
    from .audit import verify_chain
    from .services import record_audit

    result = verify_chain()
    if not result.ok:
        logger.error("审计日志哈希链断裂：%s", result.broken)
        record_audit(None, "audit.verify", None, result="failure", broken=str(result.broken),
                     checked=result.checked)
    return {"ok": result.ok, "checked": result.checked, "broken": str(result.broken) if result.broken else ""}
