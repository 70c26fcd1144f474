from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    label = "enforcement"
    verbose_name = "行政执法案件"

    def ready(self) -> None:
        # The home page's inbox reads cases and their clocks; the platform may not
        # import them, so the app hands it its provider.
        from enforcement.cases.inbox import case_inbox
        from hangzhou_safety.web.inbox import register_inbox

        register_inbox(case_inbox)
        # Higher sub-packages veto closing a case through the hooks cases exposes.
        from enforcement.cases.sections import register_page_section
        from enforcement.measures import guards as measure_guards
        from enforcement.measures.views import measure_section

        measure_guards.register()
        register_page_section(measure_section)
        # Higher sub-packages hook into cases (which may not import them): the close
        # guard of criminal transfers (no 以罚代刑) and the sections of the case page.
        from enforcement.accidents import views as accident_views
        from enforcement.transfers import guards as transfer_guards
        from enforcement.transfers import views as transfer_views

        transfer_guards.register()
        transfer_views.register()
        accident_views.register()
        # The key-supervision list reads last year's accidents through its hook.
        from enforcement.accidents import hooks as accident_hooks

        accident_hooks.connect()
        # The disclosure pipeline listens to the case signals (cases never imports it).
        from enforcement.disclosure import receivers

        receivers.connect()
