"""Every staff page and the public page rendered in English: no Chinese left in the
interface's own words (labels, column heads, buttons, legends, summaries, the
navigation, placeholders). Data (enterprise names, districts, inspectors' notes) stays
as entered. Pages come from the URL resolver like the permission matrix, so a new
page is covered without anyone listing it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from tests.platform import surface
from tests.platform.world import PERSONAS

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
#: Elements whose text is the interface's own words.
LABEL_TAGS = {"label", "button", "legend", "summary", "th"}
#: Attributes that are words the user reads.
LABEL_ATTRIBUTES = ("placeholder", "aria-label", "title")


VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}


class _Labels(HTMLParser):
    """Collects Chinese text inside label elements. Not labels: text in an element
    with a Chinese ``lang`` (the language switch's 中文), the label of a choice
    (a <label> wrapping its input, or Bootstrap's form-check-label beside it: an
    enterprise, an inspector, a checklist title, which are data), and a <th> heading
    a row of a table body (a month, a category row of data)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, exempt)
        self.found: list[str] = []
        self.in_tbody = 0

    def _exempt(self) -> bool:
        return any(exempt for _tag, exempt in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self.in_tbody += 1
        values = dict(attrs)
        if tag == "input" and self.stack and self.stack[-1][0] == "label":
            self.stack[-1] = ("label", True)  # a choice's label: data
        if tag in VOID:
            return
        exempt = ((values.get("lang") or "").lower().startswith("zh")
                  # Bootstrap's choice label, beside its own checkbox: data.
                  or (tag == "label" and "form-check-label" in (values.get("class") or "")))
        if not exempt and not self._exempt():
            for name in LABEL_ATTRIBUTES:
                value = values.get(name) or ""
                if HAN.search(value):
                    self.found.append(f"{tag}[{name}]={value!r}")
        self.stack.append((tag, exempt))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_tbody -= 1
        if any(open_tag == tag for open_tag, _exempt in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._exempt() or not HAN.search(data):
            return
        inside = {tag for tag, _exempt in self.stack} & LABEL_TAGS
        if inside == {"th"} and self.in_tbody:
            return
        if inside:
            self.found.append(f"<{self.stack[-1][0]}> {data.strip()!r}")


def test_every_page_in_english_has_no_chinese_labels(world: Any) -> None:
    assert set(surface.PAGE_VIEWERS) <= set(PERSONAS)
    clients: dict[str, Client] = {}
    for persona in surface.PAGE_VIEWERS:
        clients[persona] = Client(HTTP_ACCEPT_LANGUAGE="en")
        clients[persona].force_login(world.users[persona])
    problems: list[str] = []
    pages = surface.rendered_pages(world, clients)
    for _persona, path, answer in pages:
        parser = _Labels()
        parser.feed(answer.content.decode())
        problems.extend(f"{path}: {found}" for found in parser.found)
    opened = len(pages)
    print(f"\npages rendered in English: {opened}")
    assert opened >= 40
    assert problems == [], "\n".join(problems[:80]) + f"\n… {len(problems)} in all"
