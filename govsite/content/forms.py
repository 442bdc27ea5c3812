"""Admin forms of hosted sites' pages."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamValue

from govsite.core.validators import has_unencodable

from .conflicts import EditConflictMixin

# Dates a page may carry (发布时间, 上线/下线日期): a year outside these is a typing slip (0001, 20255) and
# year 1 in Beijing time is before the first date a database can store in UTC.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# A publication time may lie this far ahead of the clock: the admin sends minutes, clocks drift.
FUTURE_GRACE = datetime.timedelta(minutes=1)


class PageForm(EditConflictMixin, WagtailAdminPageForm):
    """The page editor's form, telling "changed" from "unchanged" by the stored values.

    Django marks fields with a callable default (发布时间: `timezone.now`) `show_hidden_initial` and then
    compares the submitted value with a hidden copy of the initial one; Wagtail's panels never render that
    copy, so the field always counted as changed. Every workflow action in the editor then saved a new
    revision, and with WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT the approval just given no longer counted:
    "批准" started the workflow again instead of publishing.

    A save based on an older revision than the page's latest is refused (编辑冲突, content/conflicts.py).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        parent = getattr(self, "parent_page", None)
        if not self.instance.path and parent is not None:
            self.instance._parent_path = parent.path  # the site a new page's links must stay in
        self.check_storable_text(cleaned)
        self.check_date_ranges(cleaned)
        self.check_publication_time(cleaned)
        return cleaned

    def check_storable_text(self, cleaned: dict[str, Any]) -> None:
        """Rich text arrives as JSON (Draftail), which can spell NUL or a lone surrogate (``\\ud800``): no
        database stores those, so they are a form error instead of a failed save."""
        for name, value in list(cleaned.items()):
            if isinstance(value, StreamValue):  # 正文 blocks: every text in them
                value = json.dumps(value.stream_block.get_prep_value(value), ensure_ascii=False)
            if isinstance(value, str) and has_unencodable(value):
                self.add_error(name, _("含有空字符或无效的字符编码，请删除后重新输入。"))

    def check_date_ranges(self, cleaned: dict[str, Any]) -> None:
        """Every date and time of the page (incl. 上线/下线日期/时间) within EARLIEST_YEAR–LATEST_YEAR."""
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field, forms.DateField | forms.DateTimeField) and isinstance(value, datetime.date):
                if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                    self.add_error(name, _("日期应在 %(first)d 年至 %(last)d 年之间。")
                                   % {"first": EARLIEST_YEAR, "last": LATEST_YEAR})

    def check_publication_time(self, cleaned: dict[str, Any]) -> None:
        """发布时间 not in the future: an article dated 2099 would stay on top of its column and make the
        column look fresh to the monitor. To publish later, the editor sets 定时发布 (上线日期/时间);
        the publication time may then be up to that moment, never after it."""
        published_at = cleaned.get("published_at")
        if "published_at" not in self.fields or not isinstance(published_at, datetime.datetime):
            return
        if "published_at" in self.errors:
            return
        go_live_at = cleaned.get("go_live_at")
        message = publication_time_error(published_at, go_live_at)
        if message:
            self.add_error("published_at", message)


def publication_time_error(published_at: datetime.datetime, go_live_at: datetime.datetime | None) -> str | None:
    """Why a 发布时间 cannot be accepted (in the future, or after the scheduled 上线时间), or None."""
    now = timezone.now()
    if go_live_at is not None and go_live_at > now:
        if published_at > go_live_at + FUTURE_GRACE:
            return _("发布时间不能晚于定时发布的上线时间（%(go_live)s）。") % {
                "go_live": timezone.localtime(go_live_at).strftime("%Y-%m-%d %H:%M")}
        return None
    if published_at > now + FUTURE_GRACE:
        return _("发布时间不能晚于当前时间（%(now)s）。如需在将来发布，请在“设置”中填写定时发布的"
                 "“上线日期/时间”，发布时间不晚于该时间。") % {"now": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")}
    return None
