"""Domain signals of penalty decisions, sent by the case services (never post_save).

Other apps (the credit app's violation base) listen; enforcement imports none of them.
Receivers run inside the service's transaction, so what they write commits or rolls
back with the decision.

- ``decision_issued``: a decision was made (issued by the head, or on the spot);
  ``decision`` is the PenaltyDecision, ``actor`` the user. The disclosure pipeline
  opens its record here.
- ``decision_final``: a decision took effect (served, or handed over on the spot);
  ``decision`` is the PenaltyDecision, ``actor`` the user.
- ``decision_changed``: a final decision's content was corrected (``decision``, ``actor``).
- ``decision_revoked``: decisions were revoked; ``decision_ids``, ``actor``, ``reason``.
"""

from django.dispatch import Signal

decision_issued = Signal()
decision_final = Signal()
decision_changed = Signal()
decision_revoked = Signal()
