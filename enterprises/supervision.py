"""Who supervises an enterprise: exactly one authority, derived by rule.

Precedence (MISSION.md 三/四, DOMAIN.md B14):
1. a valid enclave agreement (飞地协议) naming the enterprise wins while it is valid;
2. else a valid level assignment (分级: e.g. the municipal bureau takes a named
   large enterprise);
3. else locality (属地): the committee of the functional zone the enterprise lies
   in, otherwise the district bureau of its district.
Two valid agreements (or two level assignments) naming different authorities
are a conflict: the report lists it and the enterprise keeps no guessed owner.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, Jurisdiction

from .models import Enterprise, SupervisionBasis


@dataclass(frozen=True)
class Derivation:
    authority: Authority | None
    basis: str
    reason: str
    conflict: str = ""


class LocalityIndex:
    """Locality authorities keyed by jurisdiction code, loaded once (bulk derivation)."""

    def __init__(self) -> None:
        by_code: dict[str, Authority] = {}
        for authority in Authority.objects.filter(
                kind__in=[Authority.Kind.DISTRICT_BUREAU, Authority.Kind.ZONE_COMMITTEE],
                enforces_safety=True).select_related("jurisdiction"):
            by_code[authority.jurisdiction.code] = authority
        self.by_code = by_code

    def authority_for(self, location: Jurisdiction) -> Authority | None:
        # Walk the path from the leaf up: the nearest zone committee or district bureau.
        codes = [c for c in location.path.split("/") if c]
        for code in reversed(codes):
            if code in self.by_code:
                return self.by_code[code]
        return None


def derive_supervisor(enterprise: Enterprise, *, on: datetime.date | None = None,
                      locality: LocalityIndex | None = None) -> Derivation:
    # Validity is by Hangzhou's calendar day, not the server's UTC date.
    day = on or timezone.localdate()
    agreements = [a for a in enterprise.enclave_agreements.all() if a.valid_on(day)]
    owners = {a.supervising_authority_id for a in agreements}
    if len(owners) > 1:
        docs = "、".join(sorted(a.document_number for a in agreements))
        return Derivation(None, SupervisionBasis.ENCLAVE, "",
                          conflict=f"多个有效飞地协议指定了不同监管主体：{docs}")
    if agreements:
        agreement = agreements[0]
        return Derivation(agreement.supervising_authority, SupervisionBasis.ENCLAVE,
                          f"飞地协议 {agreement.document_number}")
    assignments = [a for a in enterprise.level_assignments.all() if a.valid_on(day)]
    owners = {a.authority_id for a in assignments}
    if len(owners) > 1:
        return Derivation(None, SupervisionBasis.LEVEL, "",
                          conflict="多个有效分级监管认定指定了不同监管主体")
    if assignments:
        assignment = assignments[0]
        return Derivation(assignment.authority, SupervisionBasis.LEVEL,
                          f"分级监管 {assignment.document_number}".strip())
    index = locality or LocalityIndex()
    authority = index.authority_for(enterprise.location)
    if authority is None:
        return Derivation(None, SupervisionBasis.LOCALITY, "",
                          conflict="所在辖区没有承担安全生产监管职责的执法主体")
    return Derivation(authority, SupervisionBasis.LOCALITY, f"属地：{enterprise.location.name}")
