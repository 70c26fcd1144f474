"""Standard phrases for a non-compliance, derived from the checklist question.

A question asks "是否建立…"; the finding states "未建立…". Offered as a one-tap
choice next to the note; the officer chooses it, nothing fills it in by itself.
A question not phrased as 是否… gets no phrase (the officer writes the finding).
"""

from __future__ import annotations

MAX_PHRASE = 200


def standard_phrase(question: str) -> str:
    text = (question or "").strip()
    if not text.startswith("是否"):
        return ""
    rest = text[2:].rstrip("？?。.；; ")
    # "是否A，B是否C" → "未A，B未C"
    phrase = "未" + rest.replace("是否", "未")
    return phrase[:MAX_PHRASE] + "。"
