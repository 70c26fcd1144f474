"""The attack surface, enumerated: every API operation (from the OpenAPI schema) and
every staff page (from the URL resolver), with their path parameters resolved to real
objects of a persona's own or of another jurisdiction.

Used by the generated checks (test_permission_matrix, test_hostile_input,
test_schemathesis). Nobody lists endpoints here: a new route is picked up from the URL
conf. What must be listed is how to turn a path parameter into an object: the
collection segment in front of it (``/plans/{id}/`` → "plans") names a ``Collection``
in ``COLLECTIONS``. A route whose parameter has no entry fails the checks with a
message saying what to add, so coverage never shrinks silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.urls import URLPattern, URLResolver, get_resolver

# ---------------------------------------------------------------------------------------
# Routes

#: URL prefixes that are not the product's surface (Django's own admin, language switch).
IGNORED_PREFIXES = ("admin/", "i18n/", "jsi18n/")
#: API routes that are not operations of the schema (the schema itself, its docs page,
#: DRF's browsable root and format-suffix duplicates).
NOT_OPERATIONS = re.compile(r"^api/(schema/|docs/|v1/$|v1/<drf_format_suffix)|\\\.\(\?P<format>")

#: The only paths anyone may use without logging in. Everything else answers 401/403
#: (API) or redirects to the login page.
PUBLIC_API = {
    ("post", "/api/v1/auth/token/"),
    ("get", "/api/v1/public/inspections/{code}/"),
    ("get", "/api/v1/workdays/days/"),
    ("get", "/api/v1/workdays/deadline/"),
}
PUBLIC_PAGES = {"login/", "logout/", "public/verify/<str:code>/"}

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>|\{(?P<sname>[^}]+)\}")


@dataclass(frozen=True)
class Endpoint:
    kind: str  # "api" or "page"
    method: str  # lower case
    template: str  # "/api/v1/plans/{id}/" or "/plans/<int:pk>/"
    url_name: str = ""
    fixed: tuple[tuple[str, str], ...] = ()  # str parameters bound to a value (steps)

    @property
    def id(self) -> str:
        bound = "".join(f"[{k}={v}]" for k, v in self.fixed)
        return f"{self.kind}:{self.method.upper()}:{self.template}{bound}"

    @property
    def params(self) -> list[tuple[str, str]]:
        """(collection segment, parameter name) for each parameter, in order."""
        out = []
        for match in _PARAM.finditer(self.template):
            name = match.group("name") or match.group("sname")
            before = self.template[:match.start()].rstrip("/").rsplit("/", 1)[-1]
            out.append((before, name))
        return out


def _walk(patterns: list[Any], prefix: str = "", name_prefix: str = "") -> Iterator[
        tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def url_routes() -> list[tuple[str, URLPattern]]:
    return [(route, pattern) for route, pattern in _walk(get_resolver().url_patterns)
            if not route.startswith(IGNORED_PREFIXES)]


@cache
def openapi_schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def api_endpoints() -> list[Endpoint]:
    out = []
    for path, operations in openapi_schema()["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                out.append(Endpoint("api", method, path))
    return out


def _schema_regexes() -> list[re.Pattern[str]]:
    return [re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path.lstrip("/")))
                       + "$") for path in openapi_schema()["paths"]]


def _example(route: str) -> str:
    """A concrete path for a resolver route (regex or path syntax), to match the schema."""
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route)
    return _PARAM.sub("1", route)


def undocumented_api_routes() -> list[str]:
    """API routes of the URL conf that the schema does not describe (they would escape
    every schema-driven check)."""
    regexes = _schema_regexes()
    missing = []
    for route, _pattern in url_routes():
        if not route.startswith("api/") or NOT_OPERATIONS.search(route):
            continue
        if not any(rx.match(_example(route)) for rx in regexes):
            missing.append(route)
    return missing


#: Values of str parameters that select a step rather than an object.
STEP_VALUES: dict[str, tuple[str, ...]] = {
    "decision": ("approve", "reject"),
    "step": ("submit", "return", "approve", "publish", "amend"),
}


def page_endpoints() -> list[Endpoint]:
    """Every staff page route × GET and POST (a page that takes no POST must say 405)."""
    out = []
    for route, pattern in url_routes():
        if route.startswith("api/"):
            continue
        names = [m.group("name") for m in _PARAM.finditer(route)]
        # A page's own step table ("url_name:param") before the shared one ("param").
        steps = {n: STEP_VALUES.get(f"{pattern.name}:{n}", STEP_VALUES.get(n)) for n in names}
        choices = [[(n, v) for v in values] for n, values in steps.items() if values]
        combos: list[tuple[tuple[str, str], ...]] = [()]
        for options in choices:
            combos = [c + (o,) for c in combos for o in options]
        for fixed in combos:
            for method in ("get", "post"):
                out.append(Endpoint("page", method, "/" + route, pattern.name or "", fixed))
    return out


# ---------------------------------------------------------------------------------------
# Path parameters → objects


@dataclass(frozen=True)
class Collection:
    """How a path parameter names an object.

    model: "app_label.ModelName". attr: the field the URL carries (pk, code...).
    parent: (segment of the enclosing parameter, FK field to it) for nested routes.
    scope: how a user's visible rows are found: None = ``objects.visible_to(user)``;
    a callable(user) → queryset; or "global" for reference rows every staff user
    reads (no other-jurisdiction case exists).
    """

    model: str
    attr: str = "pk"
    parent: tuple[str, str] | None = None
    scope: Callable[[Any], QuerySet[Any]] | str | None = None
    through: str = ""  # FK path to a scoped model when the model has no visible_to
    #: parent[1] is the object_id of a generic relation (a string holding the pk).
    generic: bool = False

    def manager(self) -> Any:
        return apps.get_model(self.model).objects


def _import_jobs(user: Any) -> Any:
    from enterprises.importing.jobs import jobs_visible_to

    return jobs_visible_to(user)


COLLECTIONS: dict[tuple[str, str], Collection] = {
    ("events", "id"): Collection("audit.AuditEvent"),
    ("authorities", "id"): Collection("accounts.Authority"),
    ("users", "id"): Collection("accounts.User"),
    ("jurisdictions", "code"): Collection("accounts.Jurisdiction", attr="code"),
    ("checklists", "id"): Collection("inspections.ChecklistTemplate", scope="global"),
    ("checklists", "pk"): Collection("inspections.ChecklistTemplate", scope="global"),
    ("draws", "id"): Collection("inspections.RandomDraw"),
    ("draws", "pk"): Collection("inspections.RandomDraw"),
    ("conflicts", "id"): Collection("inspections.ConflictDeclaration",
                                    through="enterprise"),
    ("item-lists", "id"): Collection("inspections.DrawItemList"),
    ("object-directories", "id"): Collection("inspections.ObjectDirectory"),
    ("enterprises", "id"): Collection("enterprises.Enterprise"),
    ("enterprises", "pk"): Collection("enterprises.Enterprise"),
    ("enterprises", "enterprise_pk"): Collection("enterprises.Enterprise"),
    ("hazard-sources", "id"): Collection("enterprises.MajorHazardSource",
                                         parent=("enterprises", "enterprise")),
    ("hazard-sources", "source_id"): Collection("enterprises.MajorHazardSource",
                                                parent=("enterprises", "enterprise")),
    ("insurance", "id"): Collection("enterprises.InsurancePolicy",
                                    parent=("enterprises", "enterprise")),
    ("import", "job_id"): Collection("enterprises.ImportJob", scope=_import_jobs),
    ("plans", "id"): Collection("inspections.EnforcementPlan"),
    ("plans", "pk"): Collection("inspections.EnforcementPlan"),
    ("campaigns", "cid"): Collection("inspections.SpecialCampaign", parent=("plans", "plan")),
    ("schemes", "id"): Collection("inspections.InspectionScheme"),
    ("schemes", "pk"): Collection("inspections.InspectionScheme"),
    ("inspections", "id"): Collection("inspections.Inspection"),
    ("inspections", "pk"): Collection("inspections.Inspection"),
    ("inspections", "code"): Collection("inspections.Inspection", attr="verification_code"),
    ("verify", "code"): Collection("inspections.Inspection", attr="verification_code"),
    ("hazards", "hid"): Collection("inspections.Hazard", parent=("inspections", "inspection")),
    ("hazards", "id"): Collection("inspections.Hazard", through="inspection"),
    ("items", "item_id"): Collection("inspections.InspectionItem",
                                     parent=("inspections", "inspection")),
    ("evidence", "pk"): Collection("inspections.Evidence", through="inspection"),
}


def _merge_extensions() -> None:
    """Each feature's module in ``tests/platform/extensions/`` adds its own path
    parameters, public paths and step values here (one file per feature, so features
    built in parallel never edit the same lines)."""
    from tests.platform.extensions import modules

    for module in modules():
        for key, col in getattr(module, "COLLECTIONS", {}).items():
            if key in COLLECTIONS:
                raise ValueError(f"{module.__name__}: COLLECTIONS{key!r} is already mapped")
            COLLECTIONS[key] = col
        PUBLIC_API.update(getattr(module, "PUBLIC_API", set()))
        PUBLIC_PAGES.update(getattr(module, "PUBLIC_PAGES", set()))
        for name, values in getattr(module, "STEP_VALUES", {}).items():
            STEP_VALUES[name] = tuple(dict.fromkeys(STEP_VALUES.get(name, ()) + values))


_merge_extensions()


class UnmappedParameter(LookupError):
    pass


def collection_for(endpoint: Endpoint, segment: str, name: str) -> Collection:
    try:
        return COLLECTIONS[(segment, name)]
    except KeyError:
        raise UnmappedParameter(
            f"{endpoint.id}: path parameter {name!r} after /{segment}/ names no object. "
            f"Add COLLECTIONS[({segment!r}, {name!r})] = Collection('app.Model', ...) in "
            f"tests/platform/surface.py so the permission matrix, the schemathesis run and "
            f"the hostile-input test can reach this endpoint.") from None


def visible(col: Collection, user: Any) -> QuerySet[Any]:
    manager = col.manager()
    if col.scope == "global":
        return manager.all()
    if callable(col.scope):
        return col.scope(user)
    if col.parent is not None and not col.through:
        return manager.all()  # scoped by its parent, chosen visible before it
    if col.through:
        target = manager.model._meta.get_field(col.through).related_model
        return manager.filter(**{f"{col.through}__in": target.objects.visible_to(user)})
    return manager.visible_to(user)


@dataclass
class Resolved:
    path: str
    objects: list[Model] = field(default_factory=list)


def _with_children(endpoint: Endpoint, index: int, rows: QuerySet[Any], viewer: Any,
                   fixed: dict[str, str]) -> QuerySet[Any]:
    """``rows`` (the candidates for the path's parameter at ``index``) that have the
    children the rest of the path names, and those children theirs in turn
    (/inspections/{id}/hazards/{hid}/extensions/{eid}/: an inspection with a hidden
    danger that has an extension)."""
    params = endpoint.params
    segment = params[index][0]
    for offset, (child_segment, child_name) in enumerate(params[index + 1:], index + 1):
        if child_name in fixed:
            continue
        child = collection_for(endpoint, child_segment, child_name)
        if child.parent is not None and child.parent[0] == segment:
            children = _with_children(endpoint, offset, visible(child, viewer), viewer, fixed)
            parents = children.values_list(child.parent[1], flat=True)
            if child.generic:
                parents = [int(v) for v in parents]  # type: ignore[assignment]
            rows = rows.filter(pk__in=parents)
    return rows


def resolve(endpoint: Endpoint, user: Any, outsider: Any | None) -> Resolved | None:
    """The endpoint's path with objects visible to ``user`` (outsider None), or, with an
    ``outsider`` (a user of another jurisdiction), objects the outsider sees and
    ``user`` does not. None when no such object exists (a global collection has no
    other-jurisdiction case)."""
    path = endpoint.template
    fixed = dict(endpoint.fixed)
    chosen: dict[str, Model] = {}
    objects: list[Model] = []
    params = endpoint.params
    viewer = outsider if outsider is not None else user
    for index, (segment, name) in enumerate(params):
        if name in fixed:
            value = fixed[name]
        else:
            col = collection_for(endpoint, segment, name)
            if outsider is not None and col.scope == "global":
                return None
            # A parent must have the children the rest of the path names.
            rows = _with_children(endpoint, index, visible(col, viewer), viewer, fixed)
            if col.parent is not None:
                parent = chosen.get(col.parent[0])
                if parent is None:
                    raise UnmappedParameter(f"{endpoint.id}: {name!r} needs its parent "
                                            f"/{col.parent[0]}/ earlier in the path")
                rows = rows.filter(**{col.parent[1]: str(parent.pk) if col.generic
                                      else parent})
            elif outsider is not None:
                rows = rows.exclude(pk__in=visible(col, user).values("pk"))
            row = rows.order_by("pk").first()
            if row is None:
                return None
            chosen[segment] = row
            objects.append(row)
            value = str(getattr(row, col.attr))
        path = _PARAM.sub(lambda m, v=value: v, path, count=1)
    return Resolved(path, objects)


# ---------------------------------------------------------------------------------------
# Whole pages (the page-wide checks: phone shape, English labels)

#: Who opens a page: the field roles first (their pages are the most used on phones).
PAGE_VIEWERS = ("xihu_inspector", "xihu_chief", "xihu_approver", "admin", "xihu_auditor")
#: Pages that redirect by design rather than show anything.
REDIRECTING_PAGES = {"/logout/", "/login/"}


def rendered_pages(world: Any, clients: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(persona, path, response) for every staff page's GET: the first persona of
    PAGE_VIEWERS whose logged-in client (``clients[persona]``) gets it as a whole HTML
    page with 200. An htmx fragment (no <html>) is checked inside the page that swaps
    it in."""
    out: list[tuple[str, str, Any]] = []
    seen: set[str] = set()
    for endpoint in page_endpoints():
        if endpoint.method != "get" or endpoint.template in REDIRECTING_PAGES:
            continue
        for persona in PAGE_VIEWERS:
            try:
                resolved = resolve(endpoint, world.users[persona], None)
            except UnmappedParameter:
                resolved = None
            if resolved is None or resolved.path in seen:
                continue
            answer = clients[persona].get(resolved.path)
            if (answer.status_code == 200 and answer["Content-Type"].startswith("text/html")
                    and b"<html" in answer.content[:500]):
                out.append((persona, resolved.path, answer))
                seen.add(resolved.path)
                break
    return out


# ---------------------------------------------------------------------------------------
# Writes


def atomic() -> Any:
    """A savepoint that, like a TestCase's, lets a service's durable block run inside."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    return block


IGNORED_TABLES = ("django_session", "axes_accessattempt", "axes_accesslog",
                  "axes_accessfailurelog")


def writes_so_far() -> int:
    """Rows inserted, updated or deleted by the current transaction (PostgreSQL's
    per-transaction statistics), sessions and login-attempt bookkeeping excepted. Equal
    before and after a request means it wrote nothing, not even in a rolled-back
    savepoint."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                       "FROM pg_stat_xact_user_tables WHERE relname <> ALL(%s)",
                       [list(IGNORED_TABLES)])
        return int(cursor.fetchone()[0])
