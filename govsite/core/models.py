"""Regions, administrative units, role assignments and the audit log: what every other app builds on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel


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
        validators=[RegexValidator(r"^[0-9]{6}\Z", _("行政区划代码应为 6 位数字。"))],
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


class Role:
    """Codes of the roles seeded by migration (角色): the records themselves are `RoleDefinition` rows."""

    PLATFORM_ADMIN = "platform_admin"  # 平台管理员: operations like 系统管理员, kept for existing accounts
    SYSTEM_ADMIN = "system_admin"  # 系统管理员: users, sites, configuration
    SECURITY_ADMIN = "security_admin"  # 安全管理员: security policy, roles
    AUDIT_ADMIN = "audit_admin"  # 审计管理员: reads and exports the audit log only
    SUPERVISOR = "supervisor"  # 监管人员
    EVALUATOR = "evaluator"  # 第三方评估人员
    SITE_ADMIN = "site_admin"  # 网站管理员
    EDITOR = "editor"  # 编辑
    REVIEWER = "reviewer"  # 审核人员
    SECRECY_REVIEWER = "secrecy_reviewer"  # 保密审查员: the last, separate step before publication
    CASE_SUBMITTER = "case_submitter"  # 来信人/申请人: anonymous, follows a case by its query code


SITE_ROLES = (Role.SITE_ADMIN, Role.EDITOR, Role.REVIEWER, Role.SECRECY_REVIEWER)
# 三权分立: one person holds at most one of these.
SEPARATED_ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class ScopeKind(models.TextChoices):
    """What an assignment of a role is over (授权范围)."""

    PLATFORM = "platform", _("全平台")
    UNIT_SUBTREE = "unit_subtree", _("机构及其下级")
    UNIT = "unit", _("本机构")
    WEBSITE = "website", _("本网站")
    ASSIGNED_WEBSITES = "assigned_websites", _("指定网站")
    CASE_QUERY_CODE = "case_query_code", _("凭查询码跟踪的事项")


class Capability(models.TextChoices):
    """What a role lets its holder do within the assignment's scope (权限)."""

    SCOPE_ALL = "scope.all", _("查看和管理全平台对象")
    REGISTRY_VIEW = "registry.view", _("查看网站登记")
    REGISTRY_CHANGE = "registry.change", _("修改网站登记")
    SITES_PROVISION = "sites.provision", _("开通托管网站")
    USERS_MANAGE = "users.manage", _("管理用户账号")
    CONFIG_CHANGE = "config.change", _("修改系统配置")
    ROLES_ASSIGN = "roles.assign", _("分配角色")
    SECURITY_POLICY = "security.policy", _("管理安全策略")
    AUDIT_READ = "audit.read", _("查阅审计日志")
    AUDIT_EXPORT = "audit.export", _("导出审计日志")
    STAFF_MANAGE = "staff.manage", _("管理本站人员")
    CONTENT_EDIT = "content.edit", _("编辑信息")
    CONTENT_PUBLISH = "content.publish", _("审核发布信息")
    CONTENT_SECRECY_REVIEW = "content.secrecy_review", _("保密审查")
    MONITORING_VIEW = "monitoring.view", _("查看监测结果")
    CASE_FOLLOW = "case.follow", _("凭查询码查看本人事项")


# Capabilities over people and the platform: only someone who holds one may give a role that grants it. Work
# within a site (编辑, 审核发布, 查看) may be given over a narrower scope by whoever may assign the role.
GOVERNING_CAPABILITIES = frozenset({
    Capability.SCOPE_ALL, Capability.REGISTRY_CHANGE, Capability.SITES_PROVISION, Capability.USERS_MANAGE,
    Capability.CONFIG_CHANGE, Capability.ROLES_ASSIGN, Capability.SECURITY_POLICY, Capability.AUDIT_READ,
    Capability.AUDIT_EXPORT,
})


class RoleDefinition(models.Model):
    """角色: a role as data — its code, Chinese name, the kind of scope it is assigned over, the capabilities
    it grants, the Django/Wagtail model permissions of its group, and the roles its holders may assign."""

    code = models.SlugField(_("角色代码"), max_length=32, primary_key=True)
    name = models.CharField(_("角色名称"), max_length=50, unique=True)
    scope_kind = models.CharField(_("授权范围类型"), max_length=32, choices=ScopeKind.choices)
    capabilities = models.JSONField(_("权限"), default=list, blank=True)
    model_permissions = models.JSONField(
        _("后台模型权限"), default=list, blank=True,
        help_text=_("“应用.权限代码”列表，授予该角色的后台用户组（按网站授权的角色由各站点用户组承载）。"))
    assignable_roles = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="assignable_by", verbose_name=_("可分配的角色"),
        help_text=_("持有本角色的人可在自己的范围内分配的角色。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def grants(self, capability: str) -> bool:
        return capability in self.capabilities


class RoleAssignment(models.Model):
    """A role a user holds over a scope of the role's kind: nothing (platform), a unit (subtree or the unit
    only) or a website (its own staff, or one of the sites assigned to an evaluator)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(RoleDefinition, on_delete=models.PROTECT, db_column="role", verbose_name=_("角色"),
                             related_name="assignments")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("机构"))
    # A string reference (no import): core must not depend on the registry app, but a role over a website
    # needs a real foreign key so that deleting the website deletes its assignments.
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
                name="role_scope_is_one_object",
                condition=models.Q(unit__isnull=True) | models.Q(website__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        scope = self.website or self.unit or _("全平台")
        return f"{self.user} · {self.role.name} · {scope}"

    def clean(self) -> None:
        kind = self.role.scope_kind
        if kind == ScopeKind.PLATFORM and (self.unit_id or self.website_id):
            raise ValidationError(_("该角色面向全平台，不限定机构或网站。"))
        if kind in (ScopeKind.UNIT_SUBTREE, ScopeKind.UNIT) and (not self.unit_id or self.website_id):
            raise ValidationError(_("该角色必须指定机构。"))
        if kind in (ScopeKind.WEBSITE, ScopeKind.ASSIGNED_WEBSITES) and (not self.website_id or self.unit_id):
            raise ValidationError(_("该角色必须指定网站。"))
        if kind == ScopeKind.CASE_QUERY_CODE:
            raise ValidationError(_("凭查询码跟踪事项的人无需账号，不分配该角色。"))


class AuditLog(AppendOnlyModel):
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

    append_only_change_message = _("审计日志只能追加，不能修改。")
    append_only_delete_message = _("审计日志只能追加，不能删除；过期日志由归档任务处理。")

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username} {self.event} {self.object_repr}"


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
    role = models.CharField(max_length=32)  # a RoleDefinition code of scope kind "website"
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="hosted_site_group")

    class Meta:
        verbose_name = _("站点权限组")
        verbose_name_plural = _("站点权限组")
        constraints = [models.UniqueConstraint(fields=["website", "role"], name="unique_site_group_per_role")]

    def __str__(self) -> str:
        return self.group.name


class WorkdayOverride(models.Model):
    """工作日调整: one date declared a working day or a rest day, overriding the statutory calendar.

    For years the `chinesecalendar` package does not know yet (the State Council publishes each year's
    节假日安排 in the autumn before) and for local decisions. Province-wide: edited by platform admins only.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"), help_text=_("勾选为上班（如调休上班日），不勾选为放假。"))
    note = models.CharField(_("说明"), max_length=200, help_text=_("依据，如“国务院办公厅关于2027年部分节假日安排的通知”。"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False, verbose_name=_("修改人"))
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return str(_("上班") if self.is_workday else _("放假"))
