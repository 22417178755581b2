"""Writes show at once through the page cache: an admin edit, an accepted review proposal and an import each
change the ledger version, so the next request renders the new figures (pledgewatch/web/caching.py)."""

from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from pledgewatch.ledger.models import Commitment
from pledgewatch.press import review
from tests.faults.data import write_csv

pytestmark = pytest.mark.django_db
TUNED = Path(__file__).parent.parent / "fixtures" / "press" / "tuned"
PROGRESS = "/api/v1/initiatives/ca-jad-tokyo-initiative/progress"


class FormFields(HTMLParser):
    """Collect the fields of the admin's change form as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def counted(client) -> str:
    return client.get(PROGRESS).json()["counted"]["amount"]


def test_admin_edit_shows_on_the_next_request(client, admin_client, seeded):
    c = Commitment.objects.get(amount__isnull=False)
    before = counted(client)
    assert counted(client) == before == "21368000000"  # the second one came from the page cache
    html = client.get(f"/commitments/{c.pk}.json?lang=en").content.decode()
    assert '"21368000000' in html
    form = FormFields()
    form.feed(admin_client.get(f"/admin/ledger/commitment/{c.pk}/change/").content.decode())
    form.data["amount"] = ["30000000000"]
    response = admin_client.post(f"/admin/ledger/commitment/{c.pk}/change/", form.data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert counted(client) == "30000000000"
    assert '"30000000000' in client.get(f"/commitments/{c.pk}.json?lang=en").content.decode()


def test_accepted_review_proposal_shows_on_the_next_request(client, seeded):
    from pledgewatch.accounts.roles import REVIEWER, assign

    user = User.objects.create_user("reviewer", "r@example.org", "pw", is_staff=True)
    assign(user, REVIEWER)
    submitted = review.submit((TUNED / "ja_t01_mofa_uz_loan.txt").read_bytes(), filename="mofa.txt", user=user)
    before = client.get("/api/v1/commitments").json()["count"]
    page = client.get("/commitments.json?lang=en").content
    assert client.get("/commitments.json?lang=en").content == page
    c = review.accept(submitted.proposals.get(), user, edits={"title": "Cache test loan"})
    assert client.get("/api/v1/commitments").json()["count"] == before + 1
    assert "Cache test loan" in client.get(f"/commitments/{c.pk}.json?lang=en").content.decode()
    assert client.get("/commitments.json?lang=en").content != page


def test_import_shows_on_the_next_request(client, seeded, tmp_path):
    before = client.get("/api/v1/commitments").json()["count"]
    etag = client.get("/?lang=en")["ETag"]
    listed = client.get("/commitments.json?lang=en&initiative=&q=Fault").content
    call_command("import_csv", str(write_csv(tmp_path / "rows.csv", 3, prefix="cache")), stdout=StringIO())
    assert client.get("/api/v1/commitments").json()["count"] == before + 3
    assert "Fault test project 2" in client.get("/commitments.json?lang=en&initiative=&q=Fault").content.decode()
    assert client.get("/?lang=en")["ETag"] != etag  # rows outside the initiative: same figures, new version
    assert listed != client.get("/commitments.json?lang=en&initiative=&q=Fault").content
