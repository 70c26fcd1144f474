"""Jurisdictions, enforcement authorities (执法主体) and staff users."""

from __future__ import annotations

import datetime

import pghistory
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.cache import named_generation

from .scoping import JurisdictionScopedQuerySet

#: Moves when a jurisdiction or an authority is saved or deleted (accounts.signals):
#: what is drawn from them on every page (the list filters' choices) is memoised on it.
PLACES_GENERATION = named_generation("jurisdictions-authorities")


class JurisdictionQuerySet(JurisdictionScopedQuerySet):
    jurisdiction_lookup = ""


@pghistory.track()
class Jurisdiction(models.Model):
    """A node of Hangzhou's administrative tree: city → district → street/township.

    Functional zones (development zones, the West Lake scenic area) have management
    committees that enforce on their own; they hang under the district they lie in,
    or under the city when they straddle districts.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区、县（市）")
        STREET = "street", _("街道")
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")
        ZONE = "zone", _("功能区")

    code = models.CharField(_("代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("上级"),
    )
    # Materialised path of codes ("330100/330106/"): subtree queries are one prefix match.
    path = models.CharField(_("路径"), max_length=128, unique=True, editable=False)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("辖区")
        verbose_name_plural = _("辖区")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="jurisdiction_path_prefix",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent else "") + f"{self.code}/"
        super().save(*args, **kwargs)

    @property
    def district(self) -> Jurisdiction | None:
        """The district-level ancestor (or self), None for the city."""
        node: Jurisdiction | None = self
        while node is not None and node.kind != self.Kind.DISTRICT:
            node = node.parent
        return node

    def contains(self, other: Jurisdiction) -> bool:
        return other.path.startswith(self.path)


class AuthorityQuerySet(JurisdictionScopedQuerySet):
    jurisdiction_lookup = "jurisdiction"


# Row history by database trigger (django-pghistory): who changed an authority's or a
# user's role, jurisdiction or certificate, even through the admin or raw SQL.
@pghistory.track()
class Authority(models.Model):
    """An enforcement body (执法主体) or a department that joins inspections."""

    class Kind(models.TextChoices):
        MUNICIPAL_BUREAU = "municipal_bureau", _("市应急管理局")
        DISTRICT_BUREAU = "district_bureau", _("区县（市）应急管理局")
        STREET_OFFICE = "street_office", _("乡镇（街道）")
        ZONE_COMMITTEE = "zone_committee", _("功能区管委会")
        PARTNER_DEPARTMENT = "partner_department", _("联合检查部门")

    class Department(models.TextChoices):
        EMERGENCY = "emergency", _("应急管理")
        HOUSING = "housing", _("住房和城乡建设")
        MARKET = "market", _("市场监督管理（特种设备）")
        FIRE = "fire", _("消防救援")
        HEALTH = "health", _("卫生健康（职业健康）")
        LOCAL_GOVERNMENT = "local_government", _("乡镇人民政府、街道办事处")
        ZONE = "zone", _("功能区管理机构")

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="authorities",
        verbose_name=_("辖区"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("上级机关"),
    )
    # Partner departments join inspections but hold no safety-production enforcement power.
    enforces_safety = models.BooleanField(_("安全生产执法主体"), default=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MUNICIPAL_ADMIN = "municipal_admin", _("市局管理员")
    DISTRICT_APPROVER = "district_approver", _("审批负责人")
    SECTION_CHIEF = "section_chief", _("科室负责人（法制审核）")
    INSPECTOR = "inspector", _("执法人员")
    AUDITOR = "auditor", _("只读审计员")
    # Partner departments of the joint punishment (no authority: never staff).
    PARTNER = "partner", _("联合惩戒成员单位")


class UserQuerySet(JurisdictionScopedQuerySet):
    jurisdiction_lookup = "authority__jurisdiction"


class StaffUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices,
                            default=Role.INSPECTOR)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
        verbose_name=_("所属执法主体"),
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    certificate_number = models.CharField(_("执法证号"), max_length=32, blank=True)
    certificate_valid_until = models.DateField(_("执法证有效期至"), null=True, blank=True)
    professionally_qualified = models.BooleanField(_("具备安全生产专业资格"), default=False)
    legal_qualification = models.BooleanField(_("具备法律职业资格"), default=False)

    objects = StaffUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"], condition=~models.Q(certificate_number=""),
                name="user_certificate_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_municipal(self) -> bool:
        authority = self.authority
        return bool(self.is_superuser or (
            authority is not None and authority.jurisdiction.kind == Jurisdiction.Kind.CITY
        ))

    def has_role(self, *roles: str) -> bool:
        return self.is_active and (self.is_superuser or self.role in roles)

    def certificate_valid_on(self, day: datetime.date | None = None) -> bool:
        """An inspector may act only with an enforcement certificate valid that day."""
        day = day or timezone.localdate()
        return bool(self.certificate_number and self.certificate_valid_until
                    and self.certificate_valid_until >= day)


class ApiToken(models.Model):
    """A Bearer token for the API. Only its SHA-256 is stored; it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        indexes = [models.Index(fields=["expires_at"], name="apitoken_expires")]

    def __str__(self) -> str:
        expires = timezone.localtime(self.expires_at)
        return f"token #{self.pk} ({self.user_id}, expires {expires:%Y-%m-%d %H:%M})"
