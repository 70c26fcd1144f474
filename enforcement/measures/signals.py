"""Domain signals of compulsory measures, sent by the measure services (never post_save).

The disclosure pipeline listens (measures never imports it: it sits above measures in
the layers contract). Receivers run inside the service's transaction.

- ``measure_decided``: the measure's decision document was issued (executed after the
  head's approval, or executed in an emergency); ``measure``, ``actor``. The disclosure
  of the decision opens here (20 working days, rule ``enforcement_disclosure``).
- ``measure_annulled``: the measure's decision no longer stands (the head did not
  approve an emergency measure after the fact, 行政强制法 第十九条; or an approved
  撤销, 确认无效 or 确认违法, change_steps); ``measure_ids``, ``actor``, ``reason``.
  Lifting a measure is not an annulment and sends nothing.
- ``measure_changed``: an approved 变更 changed the decision's content (change_steps);
  ``measure``, ``actor``. Its disclosure is withdrawn and republished after review.
"""

from django.dispatch import Signal

measure_decided = Signal()
measure_annulled = Signal()
measure_changed = Signal()
