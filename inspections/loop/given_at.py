"""When a step was taken on site, by the phone's clock.

Answers, photos and signatures filed offline are queued on the phone and reach the
server later. The queue sends the moment each was given (``given_at``, ISO 8601 with
its offset); the audit trail keeps it beside the server's own time of receipt. The
phone's clock is the inspector's, not the server's: a time ahead of the server by
more than the tolerance is not believed (kept as claimed, not as the time given).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hangzhou_safety.api.errors import InvalidInput

#: A phone clock a little ahead of the server is normal; more is a wrong clock.
CLOCK_TOLERANCE = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class GivenAt:
    at: datetime.datetime | None   # believed time on site, None if not sent / not believed
    claimed: str                   # the raw value when it was not believed, else ""

    def audit(self) -> dict[str, str]:
        """The audit event's fields: the time given on site, or the claim refused."""
        if self.at is not None:
            return {"given_at": self.at.isoformat()}
        return {"given_at_claimed": self.claimed} if self.claimed else {}


def parse_given_at(raw: str | None) -> GivenAt:
    raw = (raw or "").strip()
    if not raw:
        return GivenAt(None, "")
    try:
        value = parse_datetime(raw[:40])
    except ValueError:
        value = None
    if value is None or timezone.is_naive(value):
        raise InvalidInput("现场作答时间格式无效（应为带时区的 ISO 8601 时间）。",
                           "given_at must be an ISO 8601 time with its offset.",
                           fields={"given_at": ["时间格式无效。"]})
    if value > timezone.now() + CLOCK_TOLERANCE:
        return GivenAt(None, raw[:40])
    return GivenAt(value, "")
