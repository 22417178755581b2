"""Public pages: sign-up with double opt-in, member page, not-receiving, unsubscribe, rate limits."""

import json
import re

import pytest
from django.core import mail
from django.utils import timezone

from pledgewatch.newsletter import issues, tokens
from pledgewatch.newsletter.models import Bounce, Delivery, DeliveryState, Member, Suppression

pytestmark = pytest.mark.django_db


def link_in(message, path: str) -> str:
    return re.search(rf"http://testserver({path}[^\s\"<]+)", message.body).group(1)


def signup(client, email="new@example.org", language="en", lang="en", ip="192.0.2.1", **extra):
    return client.post(f"/newsletter/?lang={lang}", {"email": email, "language": language, **extra},
                       REMOTE_ADDR=ip)


def test_signup_confirm_and_member_page(client):
    response = signup(client, countries=["UZ"])
    assert response.status_code == 200
    assert "Check your inbox" in response.text
    member = Member.objects.get(email="new@example.org")
    assert member.confirmed_at is None and member.topics == {"countries": ["UZ"]}
    (message,) = mail.outbox
    assert message.subject == "Confirm your pledgewatch newsletter subscription"
    path = link_in(message, "/newsletter/confirm/")
    page = client.get(path)  # a GET (link scanner) confirms nothing
    assert "Confirm subscription" in page.text
    member.refresh_from_db()
    assert member.confirmed_at is None
    done = client.post(path)
    assert "Subscription confirmed" in done.text
    member.refresh_from_db()
    assert member.confirmed_at is not None and member.status == "active"


def test_signup_answer_is_the_same_for_known_and_unknown_addresses(client, make_members):
    (known,) = make_members(1)
    a = signup(client, email=known.email)
    b = signup(client, email="stranger@example.org")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", a.text) == strip.sub("", b.text)
    assert [m.subject for m in mail.outbox] == ["pledgewatch ニュースレターのご登録について",
                                                "Confirm your pledgewatch newsletter subscription"]


def test_signup_in_japanese(client):
    response = signup(client, language="ja", lang="ja")
    assert "受信箱をご確認ください" in response.text
    assert mail.outbox[0].subject == "pledgewatch ニュースレター登録の確認"


def test_signup_rate_limit_per_address_and_per_ip(client):
    for _n in range(3):
        assert signup(client, email="x@example.org").status_code == 200
    limited = signup(client, email="x@example.org")
    assert limited.status_code == 429
    assert "Too many requests. Please try again later." in limited.text
    for i in range(7):  # refused requests do not count: 3 + 7 = 10 per IP an hour
        assert signup(client, email=f"y{i}@example.org").status_code == 200
    assert signup(client, email="z@example.org").status_code == 429
    assert signup(client, email="z@example.org", ip="192.0.2.99").status_code == 200


def test_tampered_or_expired_links_are_refused(client, make_members, settings):
    (member,) = make_members(1)
    token = tokens.make_token("confirm", member)
    assert client.get(f"/newsletter/confirm/{token[:-2]}xx/").status_code == 404
    assert client.get(f"/newsletter/manage/{token}/").status_code == 404
    assert client.get(f"/newsletter/member/{token}/").status_code == 404  # a confirm token is not a manage token
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - 8 * 86400):
        stale = tokens.make_token("confirm", member)
    response = client.get(f"/newsletter/confirm/{stale}/?lang=en")
    assert response.status_code == 404


def test_member_page_topics_status_download_delete(client, make_members, issue):
    (member,) = make_members(1)
    issues.queue_issue(issue)
    Delivery.objects.update(state=DeliveryState.DEFERRED, smtp_code=451, smtp_reply="4.3.0 try later")
    url = f"/newsletter/member/{tokens.make_token('manage', member)}/"
    page = client.get(url + "?lang=en")
    assert "receiving the newsletter" in page.text
    assert "4.3.0 try later" in page.text and "deferred" in page.text
    saved = client.post(url + "?lang=en", {"language": "ru", "countries": ["KG", "TJ"]})
    assert "Your choices have been saved." in saved.text
    member.refresh_from_db()
    assert (member.language, member.topics) == ("ru", {"countries": ["KG", "TJ"]})
    data = client.get(url + "data.json")
    assert data["Content-Disposition"] == 'attachment; filename="pledgewatch-newsletter-member.json"'
    body = json.loads(data.content)
    assert body["email"] == member.email and body["topics"] == {"countries": ["KG", "TJ"]}
    assert body["deliveries"][0]["state"] == "deferred"
    assert client.get(url + "delete/").status_code == 200
    assert Member.objects.filter(pk=member.pk).exists()
    client.post(url + "delete/")
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not Delivery.objects.exists()


def test_not_receiving_same_answer_and_reactivation_resends_latest(client, make_members, issue):
    (member,) = make_members(1)
    issues.queue_issue(issue)
    Delivery.objects.update(state=DeliveryState.BOUNCED, smtp_reply="5.1.1 user unknown")
    Bounce.objects.create(member=member, kind="hard", status="5.1.1")
    Member.objects.filter(pk=member.pk).update(suppression=Suppression.HARD_BOUNCE)
    known = client.post("/newsletter/not-receiving/?lang=ja", {"email": member.email})
    unknown = client.post("/newsletter/not-receiving/?lang=ja", {"email": "nobody@example.org"})
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known.text) == strip.sub("", unknown.text)
    assert "受信箱をご確認ください" in known.text
    (message,) = mail.outbox
    path = link_in(message, "/newsletter/reconfirm/")
    assert "配信を再開する" in client.get(path + "?lang=ja").text
    member.refresh_from_db()
    assert member.suppression == Suppression.HARD_BOUNCE  # GET changes nothing
    done = client.post(path + "?lang=ja")
    assert "最新号をもう一度お送りします" in done.text
    member.refresh_from_db()
    assert member.suppression == "" and member.eligible
    assert Bounce.objects.get().cleared
    d = Delivery.objects.get()
    assert (d.state, d.attempts, d.smtp_reply) == (DeliveryState.QUEUED, 0, "")


def test_unsubscribe_get_confirms_post_acts(client, make_members, issue):
    (member,) = make_members(1)
    issues.queue_issue(issue)
    url = f"/newsletter/unsubscribe/{tokens.make_token('unsubscribe', member)}/"
    page = client.get(url + "?lang=en")
    assert "Stop sending the newsletter to" in page.text
    member.refresh_from_db()
    assert member.unsubscribed_at is None
    # RFC 8058 one-click: a POST from the mail provider, without our CSRF cookie
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.unsubscribed_at is not None
    assert Delivery.objects.get().state == DeliveryState.SUPPRESSED


def test_resubscribe_after_unsubscribe(client, make_members):
    (member,) = make_members(1)
    Member.objects.filter(pk=member.pk).update(unsubscribed_at=timezone.now())
    signup(client, email=member.email)
    assert mail.outbox[0].subject == "Confirm your pledgewatch newsletter subscription"
    client.post(link_in(mail.outbox[0], "/newsletter/confirm/"))
    member.refresh_from_db()
    assert member.unsubscribed_at is None and member.eligible


def test_chart_image_is_served(client, issue):
    import base64

    issue.charts = {"en": base64.b64encode(b"\x89PNG fake").decode()}
    issue.save()
    response = client.get(f"/newsletter/issues/{issue.pk}/chart-en.png")
    assert response["Content-Type"] == "image/png" and response.content == b"\x89PNG fake"
    assert client.get(f"/newsletter/issues/{issue.pk}/chart-ja.png").status_code == 404


def test_admin_preview_health_and_member_deliveries(admin_client, make_members, issue):
    (member,) = make_members(1)
    issues.queue_issue(issue)
    Delivery.objects.update(state=DeliveryState.FAILED, smtp_code=550, smtp_reply="5.1.1 user unknown",
                            duration_ms=12)
    html = admin_client.get(f"/admin/newsletter/issue/{issue.pk}/preview/en/")
    assert "Livestock sector development" in html.text
    text = admin_client.get(f"/admin/newsletter/issue/{issue.pk}/preview/ja/?format=text")
    assert "畜産振興・家畜衛生強化計画" in text.text
    health = admin_client.get(f"/admin/newsletter/issue/{issue.pk}/health/?lang=en")
    assert '<td class="count-failed">1</td>' in health.text
    page = admin_client.get(f"/admin/newsletter/member/{member.pk}/change/")
    assert "5.1.1 user unknown" in page.text
    listing = admin_client.get("/admin/newsletter/issue/")
    assert listing.status_code == 200


def test_admin_schedule_send_now_pause_resume(admin_client, make_members, issue):
    from django.utils import timezone as tz

    make_members(2)
    url = f"/admin/newsletter/issue/{issue.pk}/change/"
    when = tz.localtime(tz.now() + tz.timedelta(days=1))
    response = admin_client.post(url, {"scheduled_at_0": when.strftime("%Y-%m-%d"),
                                       "scheduled_at_1": when.strftime("%H:%M:%S")})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == "scheduled" and issue.scheduled_at is not None
    changelist = "/admin/newsletter/issue/"
    admin_client.post(changelist, {"action": "send_now", "_selected_action": [issue.pk]})
    issue.refresh_from_db()
    assert issue.state == "sending" and issue.deliveries.count() == 2
    admin_client.post(changelist, {"action": "pause", "_selected_action": [issue.pk]})
    issue.refresh_from_db()
    assert issue.state == "paused"
    admin_client.post(changelist, {"action": "resume", "_selected_action": [issue.pk]})
    issue.refresh_from_db()
    assert issue.state == "sending"


def test_admin_member_actions_reenable_and_resend(admin_client, make_members, issue):
    (member,) = make_members(1)
    issues.queue_issue(issue)
    Delivery.objects.update(state=DeliveryState.BOUNCED)
    Member.objects.filter(pk=member.pk).update(suppression=Suppression.HARD_BOUNCE)
    admin_client.post("/admin/newsletter/member/", {"action": "reenable", "_selected_action": [member.pk]})
    member.refresh_from_db()
    assert member.suppression == ""
    assert Delivery.objects.get().state == DeliveryState.QUEUED


@pytest.mark.parametrize(("lang", "signup_title", "help_title"), [
    ("ja", "ニュースレターに登録", "ニュースレターが届かない場合"),
    ("en", "Sign up for the newsletter", "Not receiving the newsletter?"),
    ("ru", "Подписаться на рассылку", "Не приходит рассылка?"),
])
def test_public_pages_in_three_languages(client, lang, signup_title, help_title):
    assert f"<h1>{signup_title}</h1>" in client.get(f"/newsletter/?lang={lang}").text
    assert f"<h1>{help_title}</h1>" in client.get(f"/newsletter/not-receiving/?lang={lang}").text
