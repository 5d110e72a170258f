"""Rendering pages: templates with the caller, the language and the CSRF token at hand."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from reunite import __version__
from reunite.vocabulary import Message, Vocabulary
from reunite.web.i18n import LANGUAGE_NAMES, pick_language, translate

WEB = Path(__file__).parent
templates = Jinja2Templates(directory=WEB / "templates")


# Values filled into a translated sentence are data (a name, a file, a date): marked so
# that translation tools, and the test that reads pages for untranslated English, leave
# them alone. Numbers need no mark; nested translations are markup already.
_DATA = Markup('<span translate="no">{}</span>')


def _filled(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return _DATA.format(value)
    return value


@pass_context
def _gettext(context: Context, text: str, **values: Any) -> Markup:
    translated = Markup.escape(translate(context.get("lang", "en"), text))
    if not values:
        return translated
    return translated.format(**{name: _filled(value) for name, value in values.items()})


def localise(language: str, message: Message | str | None) -> str:
    """Return a message in a language: its template translated, then its values filled in."""
    if message is None:
        return ""
    if isinstance(message, str):
        return translate(language, message)
    values = {name: _value(language, value) for name, value in message.values.items()}
    return translate(language, message.template).format(**values)


def _value(language: str, value: object) -> object:
    if isinstance(value, Vocabulary):
        return translate(language, value.label)
    if isinstance(value, Message):
        return localise(language, value)
    return value


def localise_html(language: str, message: Message | str | None) -> Markup:
    """Return a message in a language as markup, its data values marked translate="no"."""
    if message is None:
        return Markup("")
    if isinstance(message, str):
        return Markup.escape(translate(language, message))
    values: dict[str, object] = {}
    for name, value in message.values.items():
        if isinstance(value, Vocabulary):
            values[name] = Markup.escape(translate(language, value.label))
        elif isinstance(value, Message):
            values[name] = localise_html(language, value)
        else:
            values[name] = _filled(value)
    return Markup.escape(translate(language, message.template)).format(**values)


@pass_context
def _say(context: Context, message: Message | str | None) -> Markup:
    return localise_html(context.get("lang", "en"), message)


templates.env.globals["_"] = _gettext
templates.env.globals["say"] = _say
templates.env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES


def publish_labels(vocabularies: Mapping[str, Mapping[str, str]]) -> None:
    """Give the templates the domains' labels by name (the composition root hands them over)."""
    templates.env.globals.update(vocabularies)


def page_language(request: Request) -> str:
    """Return the language of this request's page."""
    from reunite.web.deps import LANGUAGE_COOKIE

    caller = getattr(request.state, "caller", None)
    preferred = caller.principal.language if caller and caller.principal else None
    return pick_language(
        request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"), preferred
    )


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    """Render a page with the caller, their language and their CSRF token."""
    caller = getattr(request.state, "caller", None)
    principal = caller.principal if caller is not None else None
    web_session = caller.web_session if caller is not None else None
    values: dict[str, Any] = {
        "version": __version__,
        "principal": principal,
        "csrf_token": getattr(request.state, "csrf_token", "") if web_session is not None else "",
        "lang": page_language(request),
        "facts": getattr(request.state, "facts", {}),
        **(context or {}),
    }
    return templates.TemplateResponse(request, template, values, status_code=status)


def render_error(request: Request, status: int, detail: Message | str) -> HTMLResponse:
    """Render an error page that says what went wrong, never a traceback."""
    return render(request, "error.html", {"status": status, "detail": detail}, status=status)
