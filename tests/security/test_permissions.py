"""Every cell of the write-path × role table (pledgewatch/accounts/policy.py, shown in docs/security.md).

Allowed: the request succeeds and the database changed. Refused: 403, or 302 to the login page, or 404/401/405
where the path answers so, and the database is unchanged.
"""

import io
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.forms import MultiWidget
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import get_resolver

from pledgewatch.accounts import policy
from tests.security.conftest import PASSWORD, PRESS_TEXT

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
STAFF = ("editor", "reviewer", "admin", "operator")


def client_for(world, role: str) -> Client:
    client = Client()
    if role in STAFF:
        client.force_login(world["users"][role])
    return client


def refused(response) -> bool:
    if response.status_code == 302:
        return "/admin/login/" in response["Location"]
    return response.status_code in (401, 403, 404, 405)


def model_of(label: str):
    from django.apps import apps

    return apps.get_model(label)


def snapshot(obj) -> dict | None:
    fresh = type(obj).objects.filter(pk=obj.pk).first()
    return None if fresh is None else model_to_dict(fresh)


# --- admin: form data built from the admin's own form and inline formsets for an existing row

def _field_data(form, prefix_form=None) -> dict:
    data = {}
    f = prefix_form or form
    for name, field in form.fields.items():
        if field.disabled:
            continue
        key = f.add_prefix(name)
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            parts = field.widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{key}_{i}"] = "" if part is None else str(part)
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def admin_form_data(world, label: str, obj, *, change: bool) -> dict:
    """Return the POST data of the admin's add or change form for obj (built once per module)."""
    cache = world.setdefault("form_data", {})
    if (label, change) not in cache:
        cache[label, change] = _admin_form_data(world, label, obj, change=change)
    return dict(cache[label, change])


def _admin_form_data(world, label: str, obj, *, change: bool) -> dict:
    model = model_of(label)
    ma = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = world["users"]["operator"]
    form = ma.get_form(request, obj if change else None, change=change)(instance=obj)
    data = _field_data(form)
    formsets, _inlines = ma._create_formsets(request, obj if change else model(), change=change)
    for formset in formsets:
        forms = formset.initial_forms if change else []
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(forms))
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(len(forms))
        data[f"{formset.prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{formset.prefix}-MAX_NUM_FORMS"] = "1000"
        for inline_form in forms:
            data.update(_field_data(inline_form))
    return data


ADD_OVERRIDES = {
    "auth.user": lambda d: {"username": "newbie", "password1": PASSWORD, "password2": PASSWORD,
                            "usable_password": "true"},
    "auth.group": lambda d: {**d, "name": "new-group"},
    "ledger.commitment": lambda d: {**d, "iati_identifier": "", "ref": ""},
    "ledger.claim": lambda d: {**d, "key": "NEW-1"},
    "ledger.event": lambda d: {**d, "slug": "new-event"},
    "ledger.organisation": lambda d: {**d, "slug": "new-org"},
    "ledger.sourcetext": lambda d: {**d, "sha256": "2" * 64},
    "ledger.initiative": lambda d: {**d, "slug": "new-initiative"},
    "ledger.pillar": lambda d: {**d, "slug": "new-pillar"},
    "ledger.exchangerate": lambda d: {**d, "date": "2026-02-02"},
    "ledger.country": lambda d: {**d, "code": "XY", "iso3": "XYY"},
    "ledger.duplicatecandidate": lambda d: {**d, "other": str(d["commitment"])},
    "newsletter.member": lambda d: {**d, "email": "added@example.org"},
}
CHANGES = {  # field changed by the change test, and its new value as the form sends it / the model holds it
    "auth.user": ("first_name", "Changed"),
    "auth.group": ("name", "changed-group"),
    "ledger.commitment": ("title_en", "Changed title"),
    "ledger.document": ("title_en", "Changed title"),
    "ledger.claim": ("title_en", "Changed claim"),
    "ledger.event": ("name_en", "Changed meeting"),
    "ledger.organisation": ("name_en", "Changed org"),
    "ledger.source": ("quote", "changed quote"),
    "ledger.sourcetext": ("title", "changed"),
    "ledger.duplicatecandidate": ("status", "distinct"),
    "ledger.initiative": ("name_en", "Changed initiative"),
    "ledger.pillar": ("name_en", "Changed pillar"),
    "ledger.exchangerate": ("source", "changed"),
    "ledger.country": ("name_en", "Changedland"),
    "iati.pillarrule": ("keywords", "changed"),
    "newsletter.member": ("language", "ru"),
    "newsletter.issue": ("scheduled_at", None),
    "newsletter.staffalert": ("message", "changed alert"),
}


def admin_cell(world, label: str, action: str, role: str, allowed: bool):
    """Try one admin action as the role; return (response, changed?).

    A role that may not act posts the same form data as one that may (so only the permission differs).
    """
    model = model_of(label)
    obj = world["objects"][label]
    app, name = label.split(".")
    client = client_for(world, role)
    if action == "add":
        before = model.objects.count()
        data = ADD_OVERRIDES.get(label, lambda d: d)(admin_form_data(world, label, obj, change=False))
        response = client.post(f"/admin/{app}/{name}/add/", data)
        changed = model.objects.count() != before
    elif action == "change":
        before = snapshot(obj)
        data = admin_form_data(world, label, obj, change=True)
        field, value = CHANGES.get(label, ("", None))
        if field and value is not None:
            data[field] = value
        if label == "newsletter.issue":  # scheduling is the change an admin makes to an issue
            data.update({"scheduled_at_0": "2030-01-01", "scheduled_at_1": "09:00:00"})
        response = client.post(f"/admin/{app}/{name}/{obj.pk}/change/", data)
        changed = snapshot(obj) != before
    else:
        response = client.post(f"/admin/{app}/{name}/{obj.pk}/delete/", {"post": "yes"})
        changed = snapshot(obj) is None
    if response.status_code == 200 and not changed and "adminform" in (response.context or {}):
        form = response.context["adminform"].form
        raise AssertionError(f"{label} {action} as {role}: form errors {form.errors.as_json()}")
    return response, changed


# --- the other kinds of path

def action_cell(world, key: str, role: str):
    from pledgewatch.ledger.models import Commitment, DuplicateCandidate
    from pledgewatch.newsletter.models import Issue

    client = client_for(world, role)
    if key.endswith("merge"):
        cand = world["objects"]["ledger.duplicatecandidate"]
        url, action = "/admin/ledger/duplicatecandidate/", "merge_into_existing"
        probe = lambda: (list(DuplicateCandidate.objects.filter(pk=cand.pk).values_list("status")),  # noqa: E731
                         Commitment.objects.filter(pk=cand.commitment_id).exists())
        pk = cand.pk
    elif key.endswith("distinct"):
        cand = world["objects"]["dup2"]
        url, action, pk = "/admin/ledger/duplicatecandidate/", "mark_distinct", cand.pk
        probe = lambda: DuplicateCandidate.objects.get(pk=cand.pk).status  # noqa: E731
    else:
        issue = world["objects"]["newsletter.issue"]
        url, action, pk = "/admin/newsletter/issue/", "send_now", issue.pk
        probe = lambda: (Issue.objects.get(pk=issue.pk).state, issue.deliveries.count())  # noqa: E731
    before = probe()
    response = client.post(url, {"action": action, "_selected_action": [str(pk)], "index": "0"})
    return response, probe() != before


def review_cell(world, key: str, role: str):
    from pledgewatch.ledger.models import Commitment
    from pledgewatch.press.models import Proposal, Submission
    from pledgewatch.press.views import _initial

    client = client_for(world, role)
    proposal = world["objects"]["proposal"]
    url = f"/review/proposal/{proposal.pk}/"
    status = lambda: Proposal.objects.get(pk=proposal.pk).status  # noqa: E731
    if key == "review:submit":
        before = Submission.objects.count()
        response = client.post("/review/", {"text": PRESS_TEXT})
        return response, Submission.objects.count() != before
    before = (status(), Commitment.objects.count())
    if key == "review:reject":
        response = client.post(url, {"action": "reject", "reason": "not a commitment"})
    elif key == "review:accept":
        data = {k: "" if v is None else str(v) for k, v in _initial(proposal).items()}
        response = client.post(url, {**data, "action": "accept"})
    else:
        target = Commitment.objects.order_by("pk").first()
        response = client.post(url, {"action": "link", "commitment": str(target.pk)})
    return response, (status(), Commitment.objects.count()) != before


def api_cell(world, role: str):
    from pledgewatch.ledger.models import Commitment, Initiative

    client = client_for(world, role)
    schema = client.get("/api/v1/openapi.json").json()
    before = (Commitment.objects.count(), Initiative.objects.count(), snapshot(Commitment.objects.first()))
    answers = set()
    for path in schema["paths"]:
        concrete = re.sub(r"\{slug\}", "ca-jad-tokyo-initiative", path)
        concrete = re.sub(r"\{[a-z_]*id\}|\{pk\}", str(Commitment.objects.order_by("pk").first().pk), concrete)
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(concrete, "{}", content_type="application/json")
            answers.add(response.status_code)
    after = (Commitment.objects.count(), Initiative.objects.count(), snapshot(Commitment.objects.first()))
    assert answers == {405}, answers
    return type("R", (), {"status_code": 405})(), after != before


def newsletter_cell(world, key: str, role: str, settings, monkeypatch):
    from pledgewatch.newsletter import tokens
    from pledgewatch.newsletter.models import Bounce, Member, RateHit

    client = client_for(world, role)
    member = world["objects"]["newsletter.member"]
    holder = role in policy.TOKEN_HOLDER

    def token(purpose: str, who=member) -> str:
        good = tokens.make_token(purpose, who)
        return good if holder else good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")

    probe = lambda: snapshot(member)  # noqa: E731
    if key == "newsletter:signup":
        before = Member.objects.count()
        response = client.post("/newsletter/", {"email": "fresh@example.org", "language": "en"})
        return response, Member.objects.count() != before
    if key == "newsletter:not_receiving":
        before = RateHit.objects.count()
        response = client.post("/newsletter/not-receiving/", {"email": member.email})
        return response, RateHit.objects.count() != before and len(mail.outbox) == 1
    if key == "newsletter:bounce_webhook":
        settings.NEWSLETTER_WEBHOOK_SECRET = "webhook-secret-of-the-operator"
        delivery = world["objects"]["newsletter.delivery"]
        raw = (FIXTURES / "dsn" / "gmail-hard-5.1.1.eml").read_text(encoding="utf-8").replace(
            "{VERP}", tokens.verp_address(delivery.pk)).replace("{RCPT}", member.email).encode()
        headers = {"Authorization": "Bearer webhook-secret-of-the-operator"} if role == "operator" else {}
        before = Bounce.objects.count()
        response = client.post("/newsletter/bounces/webhook/", raw, content_type="message/rfc822", headers=headers)
        return response, Bounce.objects.count() != before
    if key == "newsletter:confirm":
        member.confirmed_at = None
        member.save()
        before = probe()
        response = client.post(f"/newsletter/confirm/{token('confirm')}/")
    elif key == "newsletter:settings":
        before = probe()
        response = client.post(f"/newsletter/member/{token('manage')}/", {"language": "ja"})
    elif key == "newsletter:delete":
        before = probe()
        response = client.post(f"/newsletter/member/{token('manage')}/delete/")
    elif key == "newsletter:unsubscribe":
        before = probe()
        response = client.post(f"/newsletter/unsubscribe/{token('unsubscribe')}/")
    else:  # re-register after a bounce
        Member.objects.filter(pk=member.pk).update(suppression="bounced")
        before = probe()
        response = client.post(f"/newsletter/reconfirm/{token('reconfirm')}/")
    return response, probe() != before


def cli_cell(world, key: str, tmp_path):
    """Run the command as the operator does; return whether the database changed."""
    from django.contrib.auth.models import User

    from pledgewatch.iati.models import IatiActivity
    from pledgewatch.ledger.models import Commitment
    from pledgewatch.newsletter.models import Issue, Member

    out = io.StringIO()
    if key == "cli:import_csv":
        path = tmp_path / "c.csv"
        call_command("export_csv", "-o", str(path), stdout=out)
        world["objects"]["ledger.commitment"].delete()
        before = Commitment.objects.count()
        call_command("import_csv", str(path), stdout=out)
        return Commitment.objects.count() != before
    if key == "cli:import_iati":
        before = IatiActivity.objects.count()
        call_command("import_iati", str(sorted((FIXTURES / "iati").glob("*.xml"))[0]), stdout=out)
        return IatiActivity.objects.count() != before
    if key == "cli:demo":
        Commitment.objects.filter(title_en__startswith="Spare").delete()
        before = Commitment.objects.count()
        world["objects"]["ledger.exchangerate"].delete()
        call_command("demo", "--no-serve", stdout=out)
        return Commitment.objects.count() >= before  # idempotent: the seed stays whole
    if key == "cli:newsletter_members_import":
        path = tmp_path / "m.csv"
        path.write_text("email,language\nimported@example.org,ja\n", encoding="utf-8")
        before = Member.objects.count()
        call_command("newsletter_members_import", str(path), stdout=out)
        return Member.objects.count() != before
    if key == "cli:newsletter_issue":
        before = Issue.objects.count()
        call_command("newsletter_issue_create", "--initiative", "ca-jad-tokyo-initiative", stdout=out)
        return Issue.objects.count() != before
    import os

    os.environ["PW_NEW_TEST"] = PASSWORD
    before = User.objects.count()
    call_command("user_add", "newcomer", "--role", "editor", "--password-env", "PW_NEW_TEST", stdout=out)
    return User.objects.count() != before


def routed_command_modules() -> set[str]:
    """Return the modules of every view in the URLconf that lives in a management command."""
    found = set()

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns)
            else:
                module = getattr(p.callback, "__module__", "") or ""
                if ".management.commands." in module:
                    found.add(module)

    walk(get_resolver().url_patterns)
    return found


@pytest.mark.parametrize(("key", "role", "allowed"), policy.cells(),
                         ids=[f"{k}-{r}" for k, r, _a in policy.cells()])
def test_cell(world, key, role, allowed, settings, monkeypatch, request):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; not under test here
    kind = policy.BY_KEY[key].kind
    if kind == "cli" and role != "operator":
        # no web path runs a command: these cells are "—" (the role has no OS account on the server)
        assert not allowed
        assert routed_command_modules() == set()
        return
    if kind == "cli":
        assert allowed and cli_cell(world, key, request.getfixturevalue("tmp_path"))
        return
    if kind == "admin" and key.startswith("admin:"):
        _prefix, label, action = key.split(":")
        response, changed = admin_cell(world, label, action, role, allowed)
    elif kind == "admin":
        response, changed = action_cell(world, key, role)
    elif kind == "review":
        response, changed = review_cell(world, key, role)
    elif kind == "api":
        response, changed = api_cell(world, role)
    else:
        response, changed = newsletter_cell(world, key, role, settings, monkeypatch)
    if allowed:
        assert response.status_code in (200, 302) and changed, (response.status_code, changed)
        if response.status_code == 302:
            assert "/admin/login/" not in response["Location"]
    else:
        assert not changed
        # an admin action the role lacks is not offered: the changelist answers "no action selected"
        assert refused(response) or key.startswith("admin-action:"), response.status_code


def test_every_admin_model_is_in_the_table():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered == set(policy.ADMIN_MODELS)


def test_docs_show_the_same_table():
    text = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- permissions-table:start -->\n", "<!-- permissions-table:end -->"
    assert text[text.index(start) + len(start):text.index(end)] == policy.markdown()
