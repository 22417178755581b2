"""Forms of the review pages: submit a text; edit a proposal; reject; link to an existing commitment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pledgewatch.ledger.models import Instrument, Qualifier

MAX_UPLOAD = 5 * 1024 * 1024


class SubmitForm(forms.Form):
    text = forms.CharField(label=_("Paste a press text"), widget=forms.Textarea(attrs={"rows": 10}), required=False)
    file = forms.FileField(label=_("or upload a .txt or .html file"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if not upload.name.lower().endswith((".txt", ".html", ".htm")):
                raise forms.ValidationError(_("Upload a .txt or .html file."))
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("The file is larger than 5 MB."))
        elif not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste a text or upload a file."))
        return data


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=500, required=False)
    recipients = forms.CharField(label=_("recipients (ISO codes, comma-separated)"), max_length=200, required=False)
    instrument = forms.ChoiceField(label=_("instrument"), choices=Instrument.choices)
    amount = forms.DecimalField(label=_("amount"), max_digits=24, decimal_places=4, required=False, min_value=0)
    currency = forms.CharField(label=_("currency"), max_length=3, required=False)
    qualifier = forms.ChoiceField(label=_("qualifier"), choices=Qualifier.choices)
    date = forms.DateField(label=_("date"), required=False)
    channel = forms.CharField(label=_("channel"), max_length=40, required=False)
    pillar = forms.CharField(label=_("pillar (slug)"), max_length=80, required=False)

    def clean_recipients(self):
        codes = [c.strip().upper() for c in self.cleaned_data["recipients"].split(",") if c.strip()]
        if not codes:
            raise forms.ValidationError(_("Give at least one recipient country."))
        return codes

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def edits(self) -> dict:
        """Return the form's values in the shape of review.merged_fields."""
        d = self.cleaned_data
        amount = d["amount"]
        return {"title": d["title"].strip(), "recipients": d["recipients"], "instrument": d["instrument"],
                "amount": None if amount is None else format(amount.normalize(), "f"),
                "currency": d["currency"], "qualifier": d["qualifier"],
                "date": d["date"].isoformat() if d["date"] else None, "channel": d["channel"].strip(),
                "pillar": d["pillar"].strip()}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(forms.Form):
    commitment = forms.IntegerField(label=_("existing commitment #"), min_value=1)
