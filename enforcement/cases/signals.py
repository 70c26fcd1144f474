"""Domain signals of penalty decisions, sent by the case services (never post_save).

Other apps (the credit app's violation base) listen; enforcement imports none of them.
Receivers run inside the service's transaction, so what they write commits or rolls
back with the decision.

- ``decision_issued``: a decision was made (issued by the head, or on the spot);
  ``decision`` is the PenaltyDecision, ``actor`` the user. The disclosure pipeline
  opens its record here.
- ``decision_final``: a decision took effect (served, or handed over on the spot);
  ``decision`` is the PenaltyDecision, ``actor`` the user.
- ``decision_changed``: a final decision's content was changed (reconsideration,
  litigation or the authority's own correction, steps/changes.py): ``decision`` (as
  changed), ``actor``. The disclosure is withdrawn and republished after review; the
  violation record is corrected.
- ``decision_revoked``: decisions no longer stand (行政处罚法 第四十八条第二款): revoked
  with their case (steps/endings.py), or one decision annulled, found void or confirmed
  unlawful (steps/changes.py); ``decision_ids``, ``actor``, ``reason``. The disclosure
  is withdrawn without republication; the violation record removed.
"""

from django.dispatch import Signal

decision_issued = Signal()
decision_final = Signal()
decision_changed = Signal()
decision_revoked = Signal()
