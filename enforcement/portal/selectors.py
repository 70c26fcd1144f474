"""What the portal reads: published disclosures only, and of them only the public
columns (never ``original_text``, the masks or anything about staff).

Search is on indexes whatever the term (partial indexes over published rows,
enforcement.disclosure.models): 3+ characters through the trigram index on
``search_text``, exactly 2 through the bigram array (pg_trgm makes no trigram from a
2-character query); 1 character is refused, as the enterprise registry refuses it
(no index answers it and one character of a Chinese name matches everything).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import QuerySet
from django.utils import timezone

from enforcement.disclosure.models import Disclosure, compact
from enforcement.disclosure.rules import DecisionType
from enforcement.disclosure.selectors import published_disclosures
from hangzhou_safety.accounts.models import Jurisdiction
from hangzhou_safety.api.errors import InvalidInput

#: The columns anyone may see; every public read goes through ``public_rows``.
PUBLIC_FIELDS = ("id", "authority__name", "decision_type", "decided_on", "party_name",
                 "document_number", "violation", "district_code", "published_at",
                 "publication_ends_on", "version")
DETAIL_FIELDS = (*PUBLIC_FIELDS, "public_text")
MAX_TERM = 60
FIRST_YEAR = 2000


@dataclass(frozen=True)
class DecisionFilters:
    q: str = ""
    district: str = ""
    year: int | None = None
    decision_type: str = ""

    def as_params(self) -> dict[str, str]:
        out = {"q": self.q, "district": self.district,
               "year": str(self.year) if self.year else "", "decision_type": self.decision_type}
        return {k: v for k, v in out.items() if v}


@lru_cache(maxsize=1)
def _district_rows() -> tuple[tuple[str, str], ...]:
    rows = Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).order_by("code")
    return tuple((j.code, j.name) for j in rows)


def districts() -> list[tuple[str, str]]:
    """(code, name) of Hangzhou's districts (reference data, read once per process)."""
    rows = _district_rows()
    if not rows:  # read before the reference data was loaded (a fresh test database)
        _district_rows.cache_clear()
    return list(rows)


def district_name(code: str) -> str:
    return dict(districts()).get(code, "")


def _bad(field: str, code: str, detail: str, detail_en: str) -> InvalidInput:
    return InvalidInput(detail, detail_en, code=code, fields={field: [detail]})


def parse_filters(params: Mapping[str, str]) -> DecisionFilters:
    """The filters of the list, the API and the export; a bad value is a 400 (the page
    shows the same message)."""
    q = " ".join(str(params.get("q", "") or "").split())
    term = compact(q)
    if len(term) == 1:
        raise _bad("q", "search_too_short", "请至少输入两个字再搜索。",
                   "Enter at least two characters to search.")
    if len(q) > MAX_TERM:
        raise _bad("q", "search_too_long", f"搜索词不超过{MAX_TERM}个字。",
                   f"The search term is longer than {MAX_TERM} characters.")
    district = str(params.get("district", "") or "").strip()
    if district and district not in dict(districts()):
        raise _bad("district", "invalid_district", "区县代码无效。", "Unknown district code.")
    raw_year = str(params.get("year", "") or "").strip()
    year = None
    if raw_year:
        last = timezone.localdate().year + 1
        if not (raw_year.isascii() and raw_year.isdigit()) \
                or not FIRST_YEAR <= int(raw_year) <= last:
            raise _bad("year", "invalid_year", f"年份应为{FIRST_YEAR}至{last}之间的四位数字。",
                       f"The year must be a number from {FIRST_YEAR} to {last}.")
        year = int(raw_year)
    decision_type = str(params.get("decision_type", "") or "").strip()
    if decision_type and decision_type not in DecisionType.values:
        raise _bad("decision_type", "invalid_decision_type", "决定类型无效。",
                   "Unknown decision type.")
    return DecisionFilters(q=q, district=district, year=year, decision_type=decision_type)


def public_rows(*, detail: bool = False) -> QuerySet[Disclosure]:
    return (published_disclosures().only(*(DETAIL_FIELDS if detail else PUBLIC_FIELDS))
            .order_by("-id"))


def search(filters: DecisionFilters) -> QuerySet[Disclosure]:
    """Published decisions matching ``filters``, newest first (``-id``, the keyset)."""
    rows = public_rows()
    term = compact(filters.q)
    if len(term) == 2:
        rows = rows.filter(search_bigrams__contains=[term])
    elif term:
        rows = rows.filter(search_text__contains=term)
    if filters.district:
        rows = rows.filter(district_code=filters.district)
    if filters.year:
        rows = rows.filter(decided_on__gte=datetime.date(filters.year, 1, 1),
                           decided_on__lt=datetime.date(filters.year + 1, 1, 1))
    if filters.decision_type:
        rows = rows.filter(decision_type=filters.decision_type)
    return rows


def latest(limit: int = 5) -> list[Disclosure]:
    """The most recently published, for the home page."""
    return list(published_disclosures().only(*PUBLIC_FIELDS)[:limit])


def published(pk: int, *, detail: bool = True) -> Disclosure | None:
    return public_rows(detail=detail).filter(pk=pk).first()


def was_public(pk: int) -> bool:
    """Published once and taken down since (withdrawn, expired, ended by credit repair):
    the page says so instead of a bare 404 (the content itself is never shown)."""
    return Disclosure.objects.filter(
        pk=pk, status__in=[Disclosure.Status.WITHDRAWN, Disclosure.Status.EXPIRED],
        published_at__isnull=False).exists()
