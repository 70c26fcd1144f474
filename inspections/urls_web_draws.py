"""Pages of random draws and the key-supervision list ("inspections" namespace)."""

from django.urls import URLPattern, URLResolver, path

from . import web_draws

urlpatterns: list[URLPattern | URLResolver] = [
    path("draws/", web_draws.draw_list, name="draw_list"),
    path("draws/new/", web_draws.draw_create, name="draw_create"),
    path("draws/directories/", web_draws.directory_list, name="draw_directories"),
    path("draws/item-lists/", web_draws.item_list_list, name="draw_item_lists"),
    path("draws/inspectors/", web_draws.inspector_directory, name="draw_inspectors"),
    path("draws/conflicts/", web_draws.conflict_list, name="draw_conflicts"),
    path("draws/<int:pk>/", web_draws.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/verify/", web_draws.draw_verify, name="draw_verify"),
    path("draws/<int:pk>/redraw/", web_draws.draw_redraw, name="draw_redraw"),
    path("draws/<int:pk>/publish/", web_draws.draw_publish, name="draw_publish"),
    path("key-supervision/", web_draws.key_supervision, name="key_supervision"),
]
