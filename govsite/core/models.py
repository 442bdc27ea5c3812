"""Regions, administrative units, role assignments and the audit log: what every other app builds on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TreeQuerySet(models.QuerySet):
    def subtree_of(self, node: TreeNode) -> TreeQuerySet:
        """The node and everything below it."""
        return self.filter(path__startswith=node.path)


class TreeNode(models.Model):
    """A node in a tree kept with a materialised path ("/1/5/23/"), so subtree queries are one LIKE."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = TreeQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError(_("上级不能是自身。"))
        old_path = self.path
        if not self.pk:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        new_path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if self.parent_id and self.parent.path.startswith(old_path or "\0"):
            raise ValidationError(_("不能把节点移到它自己的下级之下。"))
        self.path = new_path
        super().save(*args, **kwargs)
        if old_path and old_path != new_path:
            # Moving a node moves its subtree: rewrite the descendants' paths in one pass.
            for node in type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                type(self).objects.filter(pk=node.pk).update(path=new_path + node.path[len(old_path):])

    def is_at_or_below(self, other: TreeNode) -> bool:
        return self.path.startswith(other.path)


class Region(TreeNode):
    """行政区划: an administrative division with its 6-digit division code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡级")

    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("行政区划代码应为 6 位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Unit(TreeNode):
    """机构: a government, a department or a public institution, with its parent unit and region."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        INSTITUTION = "institution", _("事业单位")

    name = models.CharField(_("机构名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=100, blank=True)
    kind = models.CharField(_("机构类型"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所属行政区划"), on_delete=models.PROTECT, related_name="units")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    administrative_functions = models.BooleanField(
        _("承担行政职能"), default=True, help_text=_("不承担行政职能的事业单位原则上不得使用 .gov.cn 域名。")
    )

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unique_unit_name_in_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_township_government(self) -> bool:
        """乡镇/街道: rules say they do not open their own site."""
        return self.kind == self.Kind.GOVERNMENT and self.region.level == Region.Level.TOWNSHIP

    @property
    def is_county_department(self) -> bool:
        """县级政府部门: rules say they publish through the county portal."""
        return self.kind != self.Kind.GOVERNMENT and self.region.level in (
            Region.Level.COUNTY,
            Region.Level.TOWNSHIP,
        )

    def government(self) -> Unit | None:
        """The nearest government at or above this unit (the unit itself when it is one)."""
        node: Unit | None = self
        while node is not None:
            if node.kind == self.Kind.GOVERNMENT:
                return node
            node = node.parent
        return None


class Role(models.TextChoices):
    """Roles of the platform. Scope: platform-wide, a unit's subtree, or one website."""

    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    SUPERVISOR = "supervisor", _("监管人员")
    EVALUATOR = "evaluator", _("第三方评估人员")
    SITE_ADMIN = "site_admin", _("网站管理员")
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("审核人员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")  # stub until the roles-as-data change: platform scope


SITE_ROLES = (Role.SITE_ADMIN, Role.EDITOR, Role.REVIEWER)


class RoleAssignment(models.Model):
    """A role a user holds over a scope: nothing (platform), a unit subtree (supervisor) or a website."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("监管范围（机构）"))
    website = models.ForeignKey(
        "registry.Website", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("网站")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit", "website"], name="unique_role_assignment"),
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    models.Q(role__in=["platform_admin", "audit_admin"], unit__isnull=True, website__isnull=True)
                    | models.Q(role="supervisor", unit__isnull=False, website__isnull=True)
                    | models.Q(role__in=["evaluator", "site_admin", "editor", "reviewer"], unit__isnull=True,
                               website__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.website or self.unit or _("全平台")
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def clean(self) -> None:
        if self.role == Role.PLATFORM_ADMIN and (self.unit_id or self.website_id):
            raise ValidationError(_("平台管理员不限定范围。"))
        if self.role == Role.SUPERVISOR and (not self.unit_id or self.website_id):
            raise ValidationError(_("监管人员必须指定所监管的机构。"))
        if self.role not in (Role.PLATFORM_ADMIN, Role.SUPERVISOR, Role.AUDIT_ADMIN) and (not self.website_id or self.unit_id):
            raise ValidationError(_("网站角色和第三方评估角色必须指定网站。"))


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN201
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):  # noqa: ANN201
        raise PermissionError("审计日志只能追加，不能删除；过期日志由归档任务处理。")


class AuditLog(models.Model):
    """操作审计日志: who did what to which object, with result and source IP. Append-only, hash-chained.

    `seq` is the entry's place in the chain; `hash` is the SHA-256 of its canonical content together with
    `prev_hash`, the hash of the entry before it (core/audit.py). `user` may be nulled when the account is
    deleted, so the chain covers `username`, not `user_id`.
    """

    seq = models.BigIntegerField(_("序号"), unique=True, editable=False)
    timestamp = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    event = models.CharField(_("事件类型"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    result = models.CharField(_("结果"), max_length=16, default="success")
    source_ip = models.GenericIPAddressField(_("来源 IP"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, editable=False)
    hash = models.CharField(_("哈希"), max_length=64, editable=False)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username} {self.event} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN201
        raise PermissionError("审计日志只能追加，不能删除。")


class AuditChainHead(models.Model):
    """审计日志链头: one row holding the last entry's number and hash. Appending locks it (select_for_update),
    so concurrent writers line up; deleting the newest entries leaves it pointing past the table's end."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计日志链头")
        verbose_name_plural = _("审计日志链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


class AuditArchive(models.Model):
    """审计日志归档: a sealed file holding entries first_seq..last_seq, removed from the table afterwards.

    The chain in the table goes on from `last_hash`; `file_sha256` ties the file to this record.
    """

    created_at = models.DateTimeField(_("归档时间"), default=timezone.now)
    file_name = models.CharField(_("归档文件"), max_length=255)
    file_sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    first_seq = models.BigIntegerField(_("起始序号"))
    last_seq = models.BigIntegerField(_("截止序号"), unique=True)
    anchor_hash = models.CharField(_("起始前哈希"), max_length=64)
    last_hash = models.CharField(_("截止哈希"), max_length=64)
    count = models.PositiveIntegerField(_("条数"))
    before = models.DateTimeField(_("归档早于"))

    class Meta:
        verbose_name = _("审计日志归档")
        verbose_name_plural = _("审计日志归档")
        ordering = ["last_seq"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.first_seq}–{self.last_seq}）"


class HostedSiteGroup(models.Model):
    """The Wagtail group that carries one site role's page and collection permissions for one hosted site."""

    website = models.ForeignKey("registry.Website", on_delete=models.CASCADE, related_name="site_groups")
    role = models.CharField(max_length=32, choices=[(r.value, r.label) for r in SITE_ROLES])
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="hosted_site_group")

    class Meta:
        verbose_name = _("站点权限组")
        verbose_name_plural = _("站点权限组")
        constraints = [models.UniqueConstraint(fields=["website", "role"], name="unique_site_group_per_role")]

    def __str__(self) -> str:
        return self.group.name
