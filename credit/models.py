"""The app's models, defined in one sub-package per sub-domain (Django looks here).

Each sub-package adds its models' import here when it gets models.
"""

from credit.blacklist.models import (  # noqa: E402,F401
    BlacklistEntry,
    PublicationEvent,
    Restriction,
    RestrictionQuery,
)
