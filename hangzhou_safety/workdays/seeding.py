"""Seed the calendar tables from the `chinesecalendar` package.

Used by the data migration (with historical models) and by `manage.py seed_calendar`
after a package upgrade. The rule that keeps it idempotent and safe to re-run:
a year the package knows is filled only while it is absent or unpublished; once a
year is published the administrator's table is authoritative and is left alone
(their corrections and deletions survive an upgrade).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

#: Plain strings, not the models' TextChoices: historical models in migrations have
#: no nested choice classes.
HOLIDAY = "holiday"
WORKDAY = "workday"
SOURCE_PACKAGE = "chinesecalendar"


@dataclass
class SeedResult:
    years_created: list[int] = field(default_factory=list)
    #: Years that existed unpublished (entered by hand, or the warning placeholder)
    #: and were completed from the package and published.
    years_published: list[int] = field(default_factory=list)
    days_created: int = 0

    @property
    def newly_scheduled(self) -> list[int]:
        return sorted(self.years_created + self.years_published)


def _chinese_names() -> dict[str, str]:
    from chinese_calendar.constants import Holiday

    # Holiday members carry their Chinese name since chinesecalendar 1.5; fall back to
    # the English value if an old release lacks it.
    return {member.value: getattr(member, "chinese", member.value) for member in Holiday}


def package_days() -> dict[int, list[tuple[datetime.date, str, str]]]:
    """{year: [(date, kind, Chinese name), ...]} for every year the package knows."""
    from chinese_calendar import constants

    names = _chinese_names()
    by_year: dict[int, list[tuple[datetime.date, str, str]]] = {}
    for kind, days in ((HOLIDAY, constants.holidays), (WORKDAY, constants.workdays)):
        for day, english in days.items():
            by_year.setdefault(day.year, []).append((day, kind, names.get(english, english)))
    for rows in by_year.values():
        rows.sort()
    return by_year


def seed_calendar(calendar_year_model: Any = None, special_day_model: Any = None) -> SeedResult:
    """Fill CalendarYear and SpecialDay from the package. Call inside a transaction."""
    if calendar_year_model is None or special_day_model is None:
        from .models import CalendarYear, SpecialDay

        calendar_year_model, special_day_model = CalendarYear, SpecialDay
    note = f"chinesecalendar {version('chinesecalendar')}"
    result = SeedResult()
    known = package_days()
    existing = {row.year: row for row in
                calendar_year_model.objects.select_for_update().filter(year__in=known)}

    new_years = [calendar_year_model(year=year, published=True, source=SOURCE_PACKAGE,
                                     note=note)
                 for year in sorted(known) if year not in existing]
    calendar_year_model.objects.bulk_create(new_years)
    result.years_created = [row.year for row in new_years]

    to_fill = set(result.years_created)
    for year, row in existing.items():
        if not row.published:
            row.published, row.source, row.note = True, SOURCE_PACKAGE, note
            to_fill.add(year)
            result.years_published.append(year)
    calendar_year_model.objects.bulk_update(
        [existing[y] for y in result.years_published], ["published", "source", "note"])

    days = [special_day_model(date=day, kind=kind, name=name, calendar_year_id=year)
            for year in sorted(to_fill) for day, kind, name in known[year]]
    before = special_day_model.objects.filter(calendar_year_id__in=to_fill).count()
    # ignore_conflicts: a day the administrator already entered by hand wins.
    special_day_model.objects.bulk_create(days, ignore_conflicts=True)
    result.days_created = (special_day_model.objects.filter(calendar_year_id__in=to_fill)
                           .count() - before)
    result.years_published.sort()
    return result
