"""The enterprise registry (生产经营单位台账): the hub every inspection, case and
credit record hangs off.

Supervision is derived, never typed in: services.refresh_supervisor() applies the
rules (enclave agreement > level assignment > locality) and records every change.
"""

from __future__ import annotations

import datetime
from typing import Any

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.models import Authority, Jurisdiction
from hangzhou_safety.accounts.scoping import JurisdictionScopedQuerySet, user_scope_path
from hangzhou_safety.workflow import Workflow, register

from .codes import validate_id_number, validate_uscc


class IndustryClass(models.Model):
    """GB/T 4754-2017 national industry classification (reference data)."""

    code = models.CharField(_("代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"))  # 1 门类 … 4 小类
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("上级"))

    class Meta:
        verbose_name = _("国民经济行业分类")
        verbose_name_plural = _("国民经济行业分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Sector(models.TextChoices):
    """Safety-supervision sectors (separate from GB/T 4754; DOMAIN.md B13)."""

    METALLURGY = "metallurgy", _("工贸·冶金")
    NONFERROUS = "nonferrous", _("工贸·有色")
    BUILDING_MATERIALS = "building_materials", _("工贸·建材")
    MACHINERY = "machinery", _("工贸·机械")
    LIGHT_INDUSTRY = "light_industry", _("工贸·轻工")
    TEXTILES = "textiles", _("工贸·纺织")
    TOBACCO = "tobacco", _("工贸·烟草")
    COMMERCE = "commerce", _("工贸·商贸")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("危险化学品")
    NON_COAL_MINING = "non_coal_mining", _("非煤矿山")
    FIREWORKS = "fireworks", _("烟花爆竹")
    CONSTRUCTION = "construction", _("建筑施工")
    CIVIL_EXPLOSIVES = "civil_explosives", _("民用爆炸物品")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    METAL_SMELTING = "metal_smelting", _("金属冶炼与加工")
    WATER_TRANSPORT = "water_transport", _("水上交通")
    OTHER = "other", _("其他")


# High-risk sectors: those where safety liability insurance is compulsory
# (安全生产法 Art. 51; 安监总办〔2017〕140号 lists mines, hazardous chemicals,
# fireworks, transport, construction, civil explosives, metal smelting, fishing).
HIGH_RISK_SECTORS = frozenset({
    Sector.HAZARDOUS_CHEMICALS, Sector.NON_COAL_MINING, Sector.FIREWORKS,
    Sector.CONSTRUCTION, Sector.CIVIL_EXPLOSIVES, Sector.METAL_SMELTING,
    Sector.WATER_TRANSPORT,
})
INDUSTRY_AND_TRADE_SECTORS = frozenset({
    Sector.METALLURGY, Sector.NONFERROUS, Sector.BUILDING_MATERIALS, Sector.MACHINERY,
    Sector.LIGHT_INDUSTRY, Sector.TEXTILES, Sector.TOBACCO, Sector.COMMERCE,
})


class SpecialOperation(models.TextChoices):
    DUST_EXPLOSION = "dust_explosion", _("粉尘涉爆")
    LIQUID_AMMONIA = "liquid_ammonia", _("涉氨制冷")
    CONFINED_SPACE = "confined_space", _("有限空间作业")


class OccupationalHazard(models.TextChoices):
    DUST = "dust", _("粉尘")
    CHEMICAL = "chemical", _("化学因素")
    NOISE = "noise", _("噪声")
    HEAT = "heat", _("高温")
    RADIATION = "radiation", _("放射性因素")
    BIOLOGICAL = "biological", _("生物因素")


class StandardisationGrade(models.TextChoices):
    NONE = "none", _("未达标")
    GRADE_1 = "1", _("一级")
    GRADE_2 = "2", _("二级")
    GRADE_3 = "3", _("三级")


class RiskLevel(models.TextChoices):
    RED = "red", _("红色（重大风险）")
    ORANGE = "orange", _("橙色（较大风险）")
    YELLOW = "yellow", _("黄色（一般风险）")
    BLUE = "blue", _("蓝色（低风险）")


class SupervisionBasis(models.TextChoices):
    LOCALITY = "locality", _("属地")
    LEVEL = "level", _("分级")
    ENCLAVE = "enclave", _("飞地协议")


class EnterpriseQuerySet(JurisdictionScopedQuerySet):
    def visible_to(self, user: Any) -> EnterpriseQuerySet:
        # Visible where it is located and to whoever supervises it (an enclave's
        # supervisor sits in another district). Both paths are copied onto the row so
        # the test is two indexed prefix matches, not joins, on 300,000 rows.
        path = user_scope_path(user)
        if path is None:
            return self.none()
        if path == "":
            return self
        # The scope's own code among the codes of both paths: one array test that GIN
        # indexes beside the search columns (the OR of two prefix matches could only
        # walk the primary key, 20 ms for some 2-character terms: issue 15). Codes are
        # unique in the tree, so this is the same as either path starting with `path`.
        return self.filter(scope_codes__contains=[path.rstrip("/").rsplit("/", 1)[-1]])


def _path_codes(column: str) -> Func:
    """The codes of a path column ("330100/330106/" → {330100,330106}; "" → {})."""
    return Func(Func(F(column), Value("/"), function="rtrim"), Value("/"),
                function="string_to_array", output_field=ArrayField(models.TextField()))


def search_text_for(name: str, uscc: str | None) -> str:
    return f"{name} {uscc or ''}".lower()


def bigrams_for(name: str) -> list[str]:
    """Distinct 2-character substrings of the name (whitespace removed), sorted."""
    compact = "".join(name.lower().split())
    return sorted({compact[i:i + 2] for i in range(len(compact) - 1)})


@pghistory.track(exclude=["search_text", "search_bigrams", "scope_codes"])
class Enterprise(models.Model):
    class Status(models.TextChoices):
        OPERATING = "operating", _("在营")
        SUSPENDED = "suspended", _("停产")
        DEREGISTERED = "deregistered", _("注销")

    # --- Identity ---
    name = models.CharField(_("单位名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True,
                            unique=True, validators=[validate_uscc])
    # A sole trader without a credit code is keyed by the operator's ID number, which is
    # personal data: never disclosed, masked on every page but the edit form.
    operator_id_number = models.CharField(_("经营者身份证号码"), max_length=18, null=True,
                                          blank=True, unique=True,
                                          validators=[validate_id_number])
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    principal_name = models.CharField(_("主要负责人"), max_length=64, blank=True)
    principal_phone = models.CharField(_("主要负责人电话"), max_length=32, blank=True)
    safety_manager_name = models.CharField(_("安全管理人员"), max_length=64, blank=True)
    safety_manager_phone = models.CharField(_("安全管理人员电话"), max_length=32, blank=True)
    contact_phone = models.CharField(_("单位联系电话"), max_length=32, blank=True)
    address = models.CharField(_("生产经营地址"), max_length=255, blank=True)
    status = models.CharField(_("经营状态"), max_length=16, choices=Status.choices,
                              default=Status.OPERATING)

    # --- Where ---
    location = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                 related_name="located_enterprises",
                                 verbose_name=_("所在辖区（街道/乡镇）"))
    registration_jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, null=True, blank=True,
        related_name="registered_enterprises", verbose_name=_("注册地辖区"))
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    in_chemical_park = models.BooleanField(_("位于化工园区"), default=False)
    within_pipeline_distance = models.BooleanField(_("位于油气管道/油库安全距离内"),
                                                   default=False)

    # --- What ---
    industry = models.ForeignKey(IndustryClass, on_delete=models.PROTECT, null=True,
                                 blank=True, verbose_name=_("国民经济行业"))
    sector = models.CharField(_("监管行业"), max_length=32, choices=Sector.choices,
                              default=Sector.OTHER)
    is_high_risk = models.BooleanField(_("高危行业"), default=False, editable=False)
    employees = models.PositiveIntegerField(_("从业人数"), default=0)
    annual_revenue = models.DecimalField(_("年营业收入（万元）"), max_digits=14,
                                         decimal_places=2, null=True, blank=True)
    above_designated_size = models.BooleanField(_("规模以上"), default=False)
    standardisation_grade = models.CharField(_("安全生产标准化等级"), max_length=4,
                                             choices=StandardisationGrade.choices,
                                             default=StandardisationGrade.NONE)
    special_operations = ArrayField(
        models.CharField(max_length=32, choices=SpecialOperation.choices),
        default=list, blank=True, verbose_name=_("重点作业"))
    occupational_hazards = ArrayField(
        models.CharField(max_length=32, choices=OccupationalHazard.choices),
        default=list, blank=True, verbose_name=_("职业病危害因素"))

    # --- Supervision (derived by services.refresh_supervisor) ---
    supervising_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True,
        related_name="supervised_enterprises", verbose_name=_("监管主体"))
    supervision_basis = models.CharField(_("监管依据"), max_length=16,
                                         choices=SupervisionBasis.choices, blank=True)
    duty_departments = models.ManyToManyField(
        Authority, blank=True, related_name="duty_enterprises",
        verbose_name=_("行业主管部门"))
    # Where an enclave agreement moves enforcement away from the registration place, the
    # registration-place authority keeps its 行业安全生产管理职责: recorded beside it.
    registration_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("注册地行业安全生产管理职责主体"))
    location_path = models.CharField(max_length=128, editable=False, default="")
    supervisor_path = models.CharField(max_length=128, editable=False, default="")
    # Every code on both paths, kept by PostgreSQL itself (a stored generated column,
    # so bulk writes and imports cannot leave it behind): what visible_to() tests.
    scope_codes = models.GeneratedField(
        expression=Func(_path_codes("location_path"), _path_codes("supervisor_path"),
                        function="array_cat", output_field=ArrayField(models.TextField())),
        output_field=ArrayField(models.TextField()), db_persist=True)

    # --- Risk (computed by services.recompute_risk) ---
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices,
                                  blank=True)
    risk_score = models.PositiveSmallIntegerField(_("风险分值"), null=True, blank=True)
    risk_explanation = models.JSONField(_("风险评分说明"), default=list, blank=True)
    risk_computed_at = models.DateTimeField(_("风险评估时间"), null=True, blank=True)

    # Lower-cased name + code, indexed with trigrams for substring search of 3+
    # characters. pg_trgm cannot serve a 2-character query (a Chinese word such as 化工
    # is often two characters), so the name's character bigrams are kept beside it
    # under a GIN index.
    search_text = models.TextField(editable=False, default="")
    search_bigrams = ArrayField(models.CharField(max_length=2), editable=False, default=list)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("生产经营单位")
        verbose_name_plural = _("生产经营单位")
        constraints = [
            models.CheckConstraint(
                condition=Q(uscc__isnull=False) | Q(operator_id_number__isnull=False),
                name="enterprise_has_identifier"),
        ]
        indexes = [
            models.Index(fields=["location_path", "id"], name="ent_location_path",
                         opclasses=["varchar_pattern_ops", "int8_ops"]),
            models.Index(fields=["supervisor_path", "id"], name="ent_supervisor_path",
                         opclasses=["varchar_pattern_ops", "int8_ops"]),
            models.Index(fields=["sector", "id"], name="ent_sector"),
            models.Index(fields=["risk_level", "id"], name="ent_risk_level"),
            models.Index(fields=["supervising_authority", "id"], name="ent_supervisor"),
            GinIndex(fields=["search_text"], name="ent_search_trgm",
                     opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["search_bigrams"], name="ent_search_bigrams"),
            # A jurisdiction's search: its scope and the term in one bitmap.
            GinIndex(fields=["scope_codes", "search_bigrams"], name="ent_scope_bigrams"),
            GinIndex(fields=["scope_codes", "search_text"], name="ent_scope_trgm",
                     opclasses=["array_ops", "gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived columns kept in step with their sources on every save.
        self.is_high_risk = self.sector in HIGH_RISK_SECTORS
        self.location_path = self.location.path if self.location_id else ""
        self.search_text = search_text_for(self.name, self.uscc)
        self.search_bigrams = bigrams_for(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"is_high_risk", "location_path", "search_text", "search_bigrams"}
            kwargs["update_fields"] = set(update_fields) | extra
        super().save(*args, **kwargs)

    @property
    def identifier(self) -> str:
        return self.uscc or "个体（身份证登记）"


class LevelAssignment(models.Model):
    """分级监管: a named enterprise taken over by a higher authority (e.g. the municipal
    bureau for large enterprises)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="level_assignments")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="level_assignments",
                                  verbose_name=_("监管主体"))
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("失效日期"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("分级监管认定")
        verbose_name_plural = _("分级监管认定")

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.authority}"

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class EnclaveAgreement(models.Model):
    """飞地协议: the two district governments concerned agree that enterprises located in
    one and registered in the other are supervised by one of them while it is valid.

    It covers the enterprises listed, and every enterprise located in the jurisdictions
    of ``area_codes`` (a park, a street). It counts for an enterprise only between its
    location and registration districts (supervision.py), and never displaces a
    municipal level assignment.
    """

    title = models.CharField(_("协议名称"), max_length=200)
    document_number = models.CharField(_("协议文号"), max_length=64)
    location_district = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="enclaves_hosted",
        verbose_name=_("所在地区县"))
    supervising_district = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="enclaves_supervised",
        verbose_name=_("管理方区县"))
    supervising_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="enclave_agreements",
        verbose_name=_("承担监管的执法主体"))
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("失效日期"), null=True, blank=True)
    enterprises = models.ManyToManyField(Enterprise, related_name="enclave_agreements",
                                         blank=True, verbose_name=_("适用单位"))
    area_codes = ArrayField(models.CharField(max_length=32), default=list, blank=True,
                            verbose_name=_("适用区域（辖区编码）"))

    class Meta:
        verbose_name = _("飞地协议")
        verbose_name_plural = _("飞地协议")
        indexes = [GinIndex(fields=["area_codes"], name="enclave_area_codes")]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）"

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def clean(self) -> None:
        """Only the two governments concerned: two districts, the supervisor on one side."""
        errors: dict[str, str] = {}
        if self.location_district_id and \
                self.location_district_id == self.supervising_district_id:
            errors["supervising_district"] = "管理方区县须不同于所在地区县。"
        authority = self.supervising_authority if self.supervising_authority_id else None
        district = self.supervising_district if self.supervising_district_id else None
        if authority is not None and district is not None and not \
                authority.jurisdiction.path.startswith(district.path):
            errors["supervising_authority"] = "承担监管的执法主体须属于管理方区县。"
        location = self.location_district if self.location_district_id else None
        for code in self.area_codes:
            found = Jurisdiction.objects.filter(code=code).first()
            if found is None or location is None or not found.path.startswith(location.path):
                errors["area_codes"] = f"适用区域 {code} 不在所在地区县内。"
        if errors:
            raise ValidationError(errors)


class ZoneMandate(models.Model):
    """The legal basis on which a functional-zone committee (功能区管委会) supervises:
    an authorisation by law or regulation (授权) or an entrustment (委托) by the
    district government or bureau, with its document and validity."""

    class Kind(models.TextChoices):
        AUTHORISATION = "authorisation", _("法律法规授权")
        ENTRUSTMENT = "entrustment", _("行政委托")

    zone_authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                       related_name="zone_mandates",
                                       verbose_name=_("功能区管委会"))
    kind = models.CharField(_("依据类型"), max_length=16, choices=Kind.choices)
    granted_by = models.CharField(_("授权或委托机关"), max_length=128)
    document_number = models.CharField(_("文号"), max_length=64)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("功能区监管依据")
        verbose_name_plural = _("功能区监管依据")

    def __str__(self) -> str:
        return f"{self.zone_authority}：{self.get_kind_display()} {self.document_number}"

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class SupervisionChange(models.Model):
    """Every change of supervisor, with its reason (also in the audit trail)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="supervision_changes")
    old_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, null=True,
                                      related_name="+")
    new_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, null=True,
                                      related_name="+")
    basis = models.CharField(max_length=16, choices=SupervisionBasis.choices, blank=True)
    reason = models.CharField(max_length=255)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.old_authority_id} → {self.new_authority_id}"


class HazardSourceQuerySet(JurisdictionScopedQuerySet):
    def visible_to(self, user: Any) -> HazardSourceQuerySet:
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user))


@pghistory.track()
class MajorHazardSource(models.Model):
    """重大危险源 and its filing (备案): submitted → filed → cancelled."""

    class Level(models.IntegerChoices):
        ONE = 1, _("一级")
        TWO = 2, _("二级")
        THREE = 3, _("三级")
        FOUR = 4, _("四级")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已申报")
        FILED = "filed", _("已备案")
        CANCELLED = "cancelled", _("已核销")

    class Monitoring(models.TextChoices):
        ONLINE = "online", _("在线监测正常")
        FAULT = "fault", _("监测故障")
        NONE = "none", _("未接入监测")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="hazard_sources")
    name = models.CharField(_("危险源名称"), max_length=200)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)
    # [{"name": "液氨", "cas": "7664-41-7", "quantity_t": 12.5, "threshold_t": 10}]
    substances = models.JSONField(_("危险物质及数量"), default=list)
    safety_measures = models.TextField(_("安全措施"), blank=True)
    emergency_measures = models.TextField(_("应急措施"), blank=True)
    monitoring = models.CharField(_("监测监控状态"), max_length=16, choices=Monitoring.choices,
                                  default=Monitoring.NONE)
    status = models.CharField(_("备案状态"), max_length=16, choices=Status.choices,
                              default=Status.SUBMITTED)
    filing_date = models.DateField(_("备案日期"), null=True, blank=True)
    filing_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+",
                                         verbose_name=_("备案机关"))
    cancelled_at = models.DateField(_("核销日期"), null=True, blank=True)
    cancellation_reason = models.CharField(_("核销理由"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = HazardSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("重大危险源")
        verbose_name_plural = _("重大危险源")
        indexes = [models.Index(fields=["enterprise", "status"], name="hazard_ent_status")]

    def __str__(self) -> str:
        return self.name


HAZARD_SOURCE_TRANSITIONS: dict[str, set[str]] = {
    MajorHazardSource.Status.SUBMITTED: {MajorHazardSource.Status.FILED},
    MajorHazardSource.Status.FILED: {MajorHazardSource.Status.CANCELLED},
    MajorHazardSource.Status.CANCELLED: set(),
}
#: Filing steps go through hangzhou_safety.workflow.transition; the audit event is
#: about the enterprise ("hazard_source.filed", "hazard_source.cancelled").
HAZARD_SOURCE_WORKFLOW = register(Workflow(
    model=MajorHazardSource, transitions=HAZARD_SOURCE_TRANSITIONS,
    event_prefix="hazard_source", label_zh="重大危险源", label_en="major hazard source",
    subject=lambda source: source.enterprise,
))


class InsuranceQuerySet(JurisdictionScopedQuerySet):
    def visible_to(self, user: Any) -> InsuranceQuerySet:
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user))

    def valid_on(self, day: datetime.date) -> InsuranceQuerySet:
        return self.filter(start_date__lte=day, end_date__gte=day)


@pghistory.track()
class InsurancePolicy(models.Model):
    class Kind(models.TextChoices):
        WORK_INJURY = "work_injury", _("工伤保险")
        SAFETY_LIABILITY = "safety_liability", _("安全生产责任保险")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="insurance_policies")
    kind = models.CharField(_("险种"), max_length=24, choices=Kind.choices)
    insurer = models.CharField(_("承保机构"), max_length=100)
    policy_number = models.CharField(_("保单号"), max_length=64)
    start_date = models.DateField(_("保险起期"))
    end_date = models.DateField(_("保险止期"))
    cover_amount = models.DecimalField(_("保额（万元）"), max_digits=12, decimal_places=2,
                                       null=True, blank=True)

    objects = InsuranceQuerySet.as_manager()

    class Meta:
        verbose_name = _("保险")
        verbose_name_plural = _("保险")
        constraints = [
            models.UniqueConstraint(fields=["insurer", "policy_number"],
                                    name="insurance_policy_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="insurance_period_ordered"),
        ]
        indexes = [models.Index(fields=["enterprise", "kind", "end_date"],
                                name="insurance_ent_kind_end")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.policy_number}"


class ImportJob(models.Model):
    """A bulk import of enterprises from .xlsx/.csv: dry run first, then commit."""

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", _("试导入（仅校验）")
        ALL_OR_NOTHING = "all", _("全部导入（须无错误）")
        VALID_ONLY = "valid_only", _("仅导入有效行")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                   related_name="+")
    file_name = models.CharField(_("文件名"), max_length=255)
    file_path = models.CharField(max_length=500)  # under var/, outside the media root
    file_sha256 = models.CharField(max_length=64)
    mode = models.CharField(_("方式"), max_length=16, choices=Mode.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    # [{"row": 12, "field": "uscc", "message": "统一社会信用代码校验位错误"}]
    errors = models.JSONField(default=list)
    message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The job's last sign of life: its creation, then every claim by a run and every
    # progress update. The stall watchdog (importing.jobs.fail_stalled_jobs) reads it.
    heartbeat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
