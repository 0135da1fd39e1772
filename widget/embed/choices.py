"""One embeddable widget as a partner chooses it, and its address."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask_babel import force_locale, gettext

from widget.helpline.banner import VARIANTS
from widget.locales import KNOWN_LOCALES, match_locale
from widget.params import DEFAULT_HEADING_LEVEL
from widget.substances.library import library

WIDGETS = ("helpline-banner", "substance-summary", "feedback-form")
PATHS = {
    "helpline-banner": "/widgets/helpline-banner",
    "substance-summary": "/widgets/substance-summary",
    "feedback-form": "/widgets/feedback-form",
}
# The endpoint of every GET widget, and the widget it is.
ENDPOINTS = {
    "helpline.helpline_banner": "helpline-banner",
    "substances.substance_index": "substance-summary",
    "substances.substance_summary": "substance-summary",
    "feedback.form": "feedback-form",
}
# An iframe's height in its first state at FRAME_WIDTH (CSS px, English), the
# oEmbed height; embed.css sets the height for other widths (measured by
# scripts/slot_heights.py) and embed.js the exact one once the frame reports.
FRAME_HEIGHTS = {
    ("helpline-banner", "full"): 1159,
    ("helpline-banner", "compact"): 82,
    ("helpline-banner", "crisis"): 601,
    ("substance-summary", "index"): 1346,
    ("substance-summary", "summary"): 4340,
    ("feedback-form", ""): 131,
}
FRAME_WIDTH = 640


@dataclass(frozen=True)
class Choice:
    """A widget with the options a partner picked; unset options are the widget's defaults."""

    widget: str = "helpline-banner"
    variant: str = "full"
    substance: str = ""  # the summary's slug; "" is the index
    lang: str = ""  # "" lets the visitor's browser choose
    heading: int = DEFAULT_HEADING_LEVEL
    partner: str = ""
    page: str = ""  # feedback form: the page the feedback is about
    collapsible: bool = False  # substance summary: sections as native disclosures

    def path(self) -> str:
        path = PATHS[self.widget]
        if self.widget == "substance-summary" and self.substance:
            path += "/" + self.substance
        return path

    def query(self) -> dict[str, str]:
        """Only what differs from the defaults, in a stable order."""
        query: dict[str, str] = {}
        if self.widget == "helpline-banner" and self.variant != "full":
            query["variant"] = self.variant
        if self.lang:
            query["lang"] = self.lang
        if self.heading != DEFAULT_HEADING_LEVEL:
            query["heading"] = str(self.heading)
        if self.partner:
            query["partner"] = self.partner
        if self.widget == "feedback-form" and self.page:
            query["page"] = self.page
        if self.widget == "substance-summary" and self.substance and self.collapsible:
            query["collapsible"] = "true"
        return query

    def url(self, service: str) -> str:
        """The absolute address on the service (`service` is its root URL)."""
        query = urlencode(self.query())
        return service.rstrip("/") + self.path() + ("?" + query if query else "")

    def frame_height(self) -> int:
        if self.widget == "helpline-banner":
            return FRAME_HEIGHTS[(self.widget, self.variant)]
        if self.widget == "substance-summary":
            return FRAME_HEIGHTS[(self.widget, "summary" if self.substance else "index")]
        return FRAME_HEIGHTS[(self.widget, "")]

    def title(self, locale_tag: str) -> str:
        """What the widget is, in a locale: the iframe's title and the fallback link's text."""
        with force_locale(KNOWN_LOCALES[locale_tag].babel_id):
            if self.widget == "helpline-banner":
                return gettext("Free, confidential help lines")
            if self.widget == "feedback-form":
                return gettext("Was this page helpful?")
            if self.substance:
                return library().summary(self.substance, locale_tag)[0].name
            return gettext("Information about substances")

    def with_(self, **changes: object) -> Choice:
        return replace(self, **changes)


def every_choice(partner: str = "", widgets: tuple[str, ...] = WIDGETS) -> list[Choice]:
    """Every GET widget a partner uses, in every variant and substance, default options."""
    choices = []
    for widget in widgets:
        if widget == "helpline-banner":
            choices += [Choice(widget, variant=v, partner=partner) for v in VARIANTS]
        elif widget == "substance-summary":
            choices.append(Choice(widget, partner=partner))
            choices += [Choice(widget, substance=s, partner=partner) for s in library().substances]
        else:
            choices.append(Choice(widget, partner=partner))
    return choices


def from_query(widget: str, view_args: Mapping[str, str], args: Mapping[str, str]) -> Choice:
    """The Choice a widget address stands for (its parameters already checked by the view)."""
    heading = args.get("heading") or ""
    return Choice(
        widget=widget,
        variant=args.get("variant") or "full",
        substance=view_args.get("requested", ""),
        # The widget reads any tag (es-MX, ES, zh-TW) as the locale it serves, and an
        # unknown one as "let the browser choose": the choice records the same.
        lang=match_locale(args.get("lang")) or "",
        heading=int(heading) if heading.isdigit() else DEFAULT_HEADING_LEVEL,
        partner=args.get("partner", ""),
        page=args.get("page", ""),
        collapsible=args.get("collapsible") == "true",
    )
