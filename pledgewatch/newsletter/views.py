"""Public newsletter pages: sign-up, confirmation, member page, not-receiving, unsubscribe, webhook.

Every answer about an address is the same whether or not the address is known (no enumeration).
"""

import base64
import binascii
import hmac
import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pledgewatch.newsletter import bounces, conf, formlimits, members, tokens
from pledgewatch.newsletter.exceptions import BadToken, RateLimited
from pledgewatch.newsletter.forms import AddressForm, PreferencesForm, SignupForm
from pledgewatch.newsletter.models import Issue, Member


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _member(purpose: str, token: str) -> Member:
    try:
        pk, email = tokens.read_token(purpose, token)
    except BadToken as exc:
        raise Http404(_("This link is invalid or has expired.")) from exc
    member = Member.objects.filter(pk=pk, email=email).first()
    if member is None:
        raise Http404(_("This link is invalid or has expired."))
    return member


def _limited(request, template: str, form) -> HttpResponse:
    return render(request, template, {"form": form, "error": _("Too many requests. Please try again later.")},
                  status=429)


@require_http_methods(["GET", "POST"])
def signup(request):
    lang = (get_language() or "ja")[:2]
    form = SignupForm(request.POST or None, initial={"language": lang})
    if request.method == "POST" and form.is_valid():
        try:
            formlimits.check_rate("signup", client_ip(request), form.cleaned_data["email"])
        except RateLimited:
            return _limited(request, "newsletter/signup.html", form)
        members.sign_up(form.cleaned_data["email"], form.cleaned_data["language"], form.topics())
        return render(request, "newsletter/check_inbox.html", {})
    return render(request, "newsletter/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    member = _member("confirm", token)
    if request.method == "POST":
        members.confirm(member)
        return render(request, "newsletter/confirmed.html",
                      {"member": member, "manage_url": tokens.link("manage", member)})
    return render(request, "newsletter/confirm.html", {"member": member})


@require_http_methods(["GET", "POST"])
def manage(request, token):
    member = _member("manage", token)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            members.update_preferences(member, form.cleaned_data["language"], form.topics())
            saved = True
    else:
        form = PreferencesForm(initial={"language": member.language, **(member.topics or {})})
    deliveries = member.deliveries.select_related("issue").order_by("-queued_at", "-id")[:20]
    context = {"member": member, "form": form, "saved": saved, "deliveries": deliveries, "token": token,
               "bounces": member.bounces.order_by("-received_at")[:10]}
    if request.GET.get("format") == "json":
        return JsonResponse({k: v for k, v in members.own_data(member).items() if k != "bounces"},
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "newsletter/manage.html", context)


def download(request, token):
    member = _member("manage", token)
    body = json.dumps(members.own_data(member), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pledgewatch-newsletter-member.json"'
    return response


@require_http_methods(["GET", "POST"])
def delete(request, token):
    member = _member("manage", token)
    if request.method == "POST":
        members.delete(member)
        return render(request, "newsletter/deleted.html", {})
    return render(request, "newsletter/delete.html", {"member": member, "token": token})


@require_http_methods(["GET", "POST"])
def not_receiving(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            formlimits.check_rate("resend", client_ip(request), form.cleaned_data["email"])
        except RateLimited:
            return _limited(request, "newsletter/not_receiving.html", form)
        members.request_reconfirmation(form.cleaned_data["email"])
        return render(request, "newsletter/not_receiving_sent.html", {})
    return render(request, "newsletter/not_receiving.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reconfirm(request, token):
    member = _member("reconfirm", token)
    if request.method == "POST":
        delivery = members.reactivate(member)
        return render(request, "newsletter/reactivated.html",
                      {"member": member, "delivery": delivery, "manage_url": tokens.link("manage", member)})
    return render(request, "newsletter/reconfirm.html", {"member": member})


@csrf_exempt  # RFC 8058 one-click: mail providers POST without our CSRF cookie; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    member = _member("unsubscribe", token)
    if request.method == "POST":
        members.unsubscribe(member)
        return render(request, "newsletter/unsubscribed.html",
                      {"member": member, "manage_url": tokens.link("manage", member)})
    return render(request, "newsletter/unsubscribe.html", {"member": member})


def chart(request, pk: int, lang: str):
    issue = Issue.objects.filter(pk=pk).only("charts").first()
    if issue is None or lang not in (issue.charts or {}):
        raise Http404
    try:
        png = base64.b64decode(issue.charts[lang])
    except (binascii.Error, TypeError) as exc:
        raise Http404 from exc
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@csrf_exempt
@require_POST
def bounce_webhook(request):
    """Accept one bounce or complaint message (raw RFC 5322 body); needs `Authorization: Bearer SECRET`."""
    secret = conf.get("WEBHOOK_SECRET")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "unauthorized"}, status=401)
    recorded = bounces.process_message(request.body, source="webhook")
    return JsonResponse({"bounces": [{"member": b.member.email, "kind": b.kind, "status": b.status}
                                     for b in recorded]})
