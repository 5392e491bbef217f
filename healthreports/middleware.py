"""Language choice, and where a POST without a session goes to log in.

Language choice: Simplified Chinese unless the user picked another language (cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language browser
would get an English portal; a Chinese government portal speaks Chinese by default."""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class LoginForPostMiddleware:
    """A POST that needs a log-in (the session ended, or the user logged out in another tab).

    login_required sends it to the log-in page with `next` set to the POST's own URL; after logging
    in the browser GETs that URL, and a POST-only view answers 405, with the typed text gone. Here
    `next` becomes the page the form was on (the same-site Referer), else the home page. A request
    from the editor's script (X-Requested-With: fetch) gets a 401 with a message instead: the script
    keeps the text, lets the user log in in a new tab, and saves again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "POST" or response.status_code != 302:
            return response
        location = urlsplit(response.get("Location", ""))
        if location.path != resolve_url(settings.LOGIN_URL) or "next" not in parse_qs(location.query):
            return response
        back = self._page_of(request)
        login_url = f"{location.path}?{urlencode({'next': back})}"
        if request.headers.get("X-Requested-With") == "fetch":
            message = _("You are no longer logged in. Your text is kept in this browser: log in, then save again.")
            return JsonResponse({"error": message, "login_url": login_url}, status=401)
        response["Location"] = login_url
        return response

    @staticmethod
    def _page_of(request) -> str:
        referer = urlsplit(request.headers.get("Referer", ""))
        if referer.path and url_has_allowed_host_and_scheme(
            request.headers["Referer"], allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return referer.path + (f"?{referer.query}" if referer.query else "")
        return resolve_url(settings.LOGIN_REDIRECT_URL)
