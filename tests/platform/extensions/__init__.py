"""Per-feature extensions of the generated checks (permission matrix, schemathesis,
hostile input).

A feature that adds endpoints adds one module here, named for it, defining any of:

- ``COLLECTIONS``: {(segment, parameter): surface.Collection(...)} for its path
  parameters;
- ``PUBLIC_API`` / ``PUBLIC_PAGES``: paths anyone may use without logging in;
- ``STEP_VALUES``: {parameter: (values...)} for str parameters that name a step;
- ``build_world(users)``: makes its objects on both sides of the jurisdiction line
  (西湖区 330106 and 滨江区 330108) after the demo data is seeded; ``users`` maps the
  persona names of ``tests.platform.world.PERSONAS`` to users.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
            if not info.name.startswith("_")]
