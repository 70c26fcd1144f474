from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    label = "enforcement"
    verbose_name = "行政执法案件"

    def ready(self) -> None:
        # Higher sub-packages hook into cases (which may not import them): the close
        # guard of criminal transfers (no 以罚代刑) and the sections of the case page.
        from enforcement.accidents import views as accident_views
        from enforcement.transfers import guards as transfer_guards
        from enforcement.transfers import views as transfer_views

        transfer_guards.register()
        transfer_views.register()
        accident_views.register()
