"""Forms of the public newsletter pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pledgewatch.ledger.models import Country, Initiative, Pillar
from pledgewatch.newsletter.models import LANGUAGES

CA_COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ")


def topic_choices() -> dict[str, list[tuple[str, str]]]:
    """Return the choices of each topic kind, labelled in the active language."""
    scope = set(Initiative.scope_countries.through.objects.values_list("country_id", flat=True))
    codes = sorted(scope or CA_COUNTRIES)
    countries = Country.objects.filter(code__in=codes)
    return {
        "initiatives": [(i.slug, i.name) for i in Initiative.objects.all()],
        "countries": [(c.code, c.name) for c in countries] or [(c, c) for c in codes],
        "pillars": [(p.slug, p.name) for p in Pillar.objects.select_related("initiative")],
    }


class TopicsMixin(forms.Form):
    initiatives = forms.MultipleChoiceField(label=_("Initiatives"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    countries = forms.MultipleChoiceField(label=_("Countries"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    pillars = forms.MultipleChoiceField(label=_("Pillars"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, choices in topic_choices().items():
            self.fields[kind].choices = choices

    def topics(self) -> dict:
        return {k: self.cleaned_data.get(k) or [] for k in ("initiatives", "countries", "pillars")}


class SignupForm(TopicsMixin):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=LANGUAGES)
    field_order = ["email", "language", "initiatives", "countries", "pillars"]


class PreferencesForm(TopicsMixin):
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=LANGUAGES)
    field_order = ["language", "initiatives", "countries", "pillars"]


class AddressForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
