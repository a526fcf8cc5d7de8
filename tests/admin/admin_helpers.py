"""Helpers of the admin tests: URLs, and the values a browser would post from an admin form."""

from __future__ import annotations

from html.parser import HTMLParser

from django.urls import reverse


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def model_id(model) -> str:
    return model._meta.label


class _FormFields(HTMLParser):
    """What a browser would submit from the admin's change form (<form id="…_form">)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select: tuple[str, bool] | None = None
        self.select_first: str | None = None
        self.select_chosen: list[str] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_form = (a.get("id") or "").endswith("_form")
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = (name, "multiple" in a)
            self.select_first, self.select_chosen = None, []
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.select_chosen.append(value)
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = self.select_chosen or ([] if multiple or self.select_first is None else [self.select_first])
            if chosen or not multiple:
                self.data[name] = chosen or [""]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the newline Django puts right after <textarea>.
            self.data[self.textarea] = [self.text[1:] if self.text.startswith("\n") else self.text]
            self.textarea = None


def form_data(response) -> dict:
    """The change form's current values, ready to be changed and posted back."""
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in parser.data.items()
        if "__prefix__" not in name
    }


def changelist_pks(client, model, **params) -> set[int]:
    """The pks the changelist shows (every page: the admin's own queryset after filters)."""
    response = client.get(url(model, "changelist"), params)
    assert response.status_code == 200, response.status_code
    return set(response.context["cl"].queryset.values_list("pk", flat=True))
