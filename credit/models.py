"""The app's models, defined in one sub-package per sub-domain (Django looks here).

Each sub-package adds its models' import here when it gets models.
"""

from credit.blacklist.models import (  # noqa: E402,F401
    BlacklistEntry,
    PublicationEvent,
    Restriction,
    RestrictionQuery,
)
from credit.outbox.models import Delivery, OutboxMessage, ReconciliationReport  # noqa: F401
from credit.ratings.models import (  # noqa: F401
    CreditCommitment,
    IntegrityRating,
    RatingRule,
)
from credit.violations.models import RetentionRule, ViolationRecord  # noqa: F401
