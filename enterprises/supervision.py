"""Who supervises an enterprise: exactly one authority, derived by rule.

Precedence (MISSION.md 三/四, DOMAIN.md B14, and the review of issue 10):
1. a municipal level assignment (分级: the municipal bureau takes a named enterprise):
   a district enclave agreement does not displace it; where both apply, the
   assignment stands and the agreement is raised as a supervision problem;
2. else a valid enclave agreement (飞地协议) that applies to the enterprise — naming it
   or covering its location by jurisdiction codes — and is one between the two
   governments concerned: the enterprise lies in one of the agreement's two districts
   and is registered in the other, and the supervising authority belongs to the
   supervising side. The registration-place authority keeps its 行业安全生产管理职责
   and is recorded beside the enforcing supervisor;
3. else another valid level assignment;
4. else locality (属地): the committee of the functional zone the enterprise lies in
   — which supervises on a recorded authorisation or entrustment (ZoneMandate); without
   one the problem is raised — otherwise the district bureau of its district.
Two valid agreements (or two level assignments) naming different authorities are a
conflict: the report lists it and the enterprise keeps no guessed owner. A
``warning`` is a supervision problem that leaves the derived supervisor in place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, Jurisdiction

from .models import EnclaveAgreement, Enterprise, LevelAssignment, SupervisionBasis, ZoneMandate


@dataclass(frozen=True)
class Derivation:
    authority: Authority | None
    basis: str
    reason: str
    conflict: str = ""
    warning: str = ""
    # The registration-place authority keeping its 行业安全生产管理职责 (enclaves).
    registration_authority: Authority | None = None


class LocalityIndex:
    """Locality authorities keyed by jurisdiction code, the area agreements and the zone
    mandates, loaded once (bulk derivation)."""

    def __init__(self) -> None:
        by_code: dict[str, Authority] = {}
        for authority in Authority.objects.filter(
                kind__in=[Authority.Kind.DISTRICT_BUREAU, Authority.Kind.ZONE_COMMITTEE],
                enforces_safety=True).select_related("jurisdiction"):
            by_code[authority.jurisdiction.code] = authority
        self.by_code = by_code
        self.area_agreements = list(
            EnclaveAgreement.objects.exclude(area_codes=[]).select_related(
                "location_district", "supervising_district",
                "supervising_authority__jurisdiction"))
        self.mandates: dict[int, list[ZoneMandate]] = {}
        for mandate in ZoneMandate.objects.all():
            self.mandates.setdefault(mandate.zone_authority_id, []).append(mandate)

    def authority_for(self, location: Jurisdiction) -> Authority | None:
        # Walk the path from the leaf up: the nearest zone committee or district bureau.
        codes = [c for c in location.path.split("/") if c]
        for code in reversed(codes):
            if code in self.by_code:
                return self.by_code[code]
        return None

    def district_bureau_for(self, location: Jurisdiction) -> Authority | None:
        codes = [c for c in location.path.split("/") if c]
        for code in reversed(codes):
            found = self.by_code.get(code)
            if found is not None and found.kind == Authority.Kind.DISTRICT_BUREAU:
                return found
        return None

    def mandate_for(self, zone: Authority, day: datetime.date) -> ZoneMandate | None:
        return next((m for m in self.mandates.get(zone.pk, []) if m.valid_on(day)), None)


def _within(place: Jurisdiction | None, district: Jurisdiction) -> bool:
    return place is not None and place.path.startswith(district.path)


def agreement_problem(agreement: EnclaveAgreement, enterprise: Enterprise) -> str:
    """Why the agreement does not count for this enterprise ("" when it does)."""
    location, registered = enterprise.location, enterprise.registration_jurisdiction
    here, there = agreement.location_district, agreement.supervising_district
    if registered is None:
        return f"飞地协议 {agreement.document_number} 不适用：单位未登记注册地辖区"
    pair = ((_within(location, here) and _within(registered, there))
            or (_within(location, there) and _within(registered, here)))
    if not pair:
        return (f"飞地协议 {agreement.document_number} 不适用：协议双方须为单位所在地和"
                "注册地两地政府")
    if not agreement.supervising_authority.jurisdiction.path.startswith(there.path):
        return (f"飞地协议 {agreement.document_number} 不适用：承担监管的执法主体不属于"
                "管理方区县")
    return ""


def _applicable_agreements(enterprise: Enterprise, day: datetime.date,
                           index: LocalityIndex) -> list[EnclaveAgreement]:
    listed = [a for a in enterprise.enclave_agreements.all() if a.valid_on(day)]
    codes = {c for c in enterprise.location.path.split("/") if c}
    covering = [a for a in index.area_agreements
                if a.valid_on(day) and codes & set(a.area_codes)]
    return list({a.pk: a for a in [*listed, *covering]}.values())


def _is_municipal(assignment: LevelAssignment) -> bool:
    return assignment.authority.kind == Authority.Kind.MUNICIPAL_BUREAU


def derive_supervisor(enterprise: Enterprise, *, on: datetime.date | None = None,
                      locality: LocalityIndex | None = None) -> Derivation:
    # Validity is by Hangzhou's calendar day, not the server's UTC date.
    day = on or timezone.localdate()
    index = locality or LocalityIndex()
    assignments = [a for a in enterprise.level_assignments.all() if a.valid_on(day)]
    agreements = _applicable_agreements(enterprise, day, index)
    problems = [agreement_problem(a, enterprise) for a in agreements]
    counted = [a for a, problem in zip(agreements, problems, strict=True) if not problem]
    warning = "；".join(p for p in problems if p)

    municipal = [a for a in assignments if _is_municipal(a)]
    if len({a.authority_id for a in municipal}) > 1:
        return Derivation(None, SupervisionBasis.LEVEL, "",
                          conflict="多个有效分级监管认定指定了不同监管主体")
    if municipal:
        assignment = municipal[0]
        if counted:
            docs = "、".join(sorted(a.document_number for a in counted))
            warning = "；".join(filter(None, [
                warning, f"飞地协议 {docs} 不能替代市级分级监管认定，请核查"]))
        return Derivation(assignment.authority, SupervisionBasis.LEVEL,
                          f"分级监管 {assignment.document_number}".strip(), warning=warning)

    owners = {a.supervising_authority_id for a in counted}
    if len(owners) > 1:
        docs = "、".join(sorted(a.document_number for a in counted))
        return Derivation(None, SupervisionBasis.ENCLAVE, "",
                          conflict=f"多个有效飞地协议指定了不同监管主体：{docs}")
    if counted:
        agreement = counted[0]
        registered = enterprise.registration_jurisdiction
        keeper = index.authority_for(registered) if registered is not None else None
        if keeper is not None and keeper.pk == agreement.supervising_authority_id:
            # Registered on the supervising side: the location keeps the sector duties.
            keeper = index.authority_for(enterprise.location)
        return Derivation(agreement.supervising_authority, SupervisionBasis.ENCLAVE,
                          f"飞地协议 {agreement.document_number}", warning=warning,
                          registration_authority=keeper)

    if len({a.authority_id for a in assignments}) > 1:
        return Derivation(None, SupervisionBasis.LEVEL, "",
                          conflict="多个有效分级监管认定指定了不同监管主体")
    if assignments:
        assignment = assignments[0]
        return Derivation(assignment.authority, SupervisionBasis.LEVEL,
                          f"分级监管 {assignment.document_number}".strip(), warning=warning)
    authority = index.authority_for(enterprise.location)
    if authority is None:
        return Derivation(None, SupervisionBasis.LOCALITY, "",
                          conflict="所在辖区没有承担安全生产监管职责的执法主体")
    reason = f"属地：{enterprise.location.name}"
    if authority.kind == Authority.Kind.ZONE_COMMITTEE:
        mandate = index.mandate_for(authority, day)
        if mandate is None:
            warning = "；".join(filter(None, [
                warning, f"{authority.name}监管的法律依据（授权或委托）未登记"]))
        else:
            reason += f"（{mandate.get_kind_display()} {mandate.document_number}）"
    return Derivation(authority, SupervisionBasis.LOCALITY, reason, warning=warning)
