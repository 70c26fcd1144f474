"""makemessages that also extracts ``_lazy("...")``: modules that need both
``gettext`` (as ``_``) and ``gettext_lazy`` import the lazy one as ``_lazy``, which
xgettext does not know by itself (without this, their strings never reached the
English catalogue)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
