"""Domain signals of accidents, sent by the accident services (never post_save).

Other apps (credit: the blacklist's accident grounds, the rating's downgrade) listen;
enforcement imports none of them. Receivers run inside the service's transaction, so
what they write commits or rolls back with the step.

- ``accident_registered``: an accident was recorded (``accident``, ``actor``); its
  grade is known from then on.
- ``findings_recorded``: the investigation report's findings were recorded
  (``accident``, ``findings``: the AccidentFinding rows, ``actor``).
"""

from django.dispatch import Signal

accident_registered = Signal()
findings_recorded = Signal()
