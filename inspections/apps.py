from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    label = "inspections"
    verbose_name = "执法计划与检查"

    def ready(self) -> None:
        # The home page's inbox reads plans and inspections; the platform may not
        # import them, so the app hands it its provider.
        from hangzhou_safety.web.inbox import register_inbox
        from inspections.inbox.selectors import inspection_inbox

        register_inbox(inspection_inbox)
        # Checklist items inspections asked are versioned, never rewritten: the loader
        # (below the loop) learns which from the loop.
        from inspections.checklists.templates import register_asked_lookup
        from inspections.loop.selectors import asked_checklist_items

        register_asked_lookup(asked_checklist_items)
        # Closing waits for the enterprise's signature on the 整改复查意见书 (or the
        # record of its refusal), which lives in evidence, above the loop.
        from inspections.evidence.refusals import recheck_opinion_signed
        from inspections.loop.services import register_close_gate

        register_close_gate(recheck_opinion_signed)
        # Publishing a year's schedule recomputes the loop's provisional due dates
        # (kept on its rows, not as workdays clocks).
        from hangzhou_safety.workdays.services import register_provisional_recomputer
        from inspections.loop.provisional import recompute_provisional_dates

        register_provisional_recomputer(recompute_provisional_dates)
