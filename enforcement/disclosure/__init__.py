"""Public disclosure of enforcement decisions (执法信息公示), issue 12.

Only the first piece exists so far: the disclosure deadline by decision type
(``rules.py``). Records, masking review, states, the sweep and the public portal
are still to be built (see the branch's report)."""
