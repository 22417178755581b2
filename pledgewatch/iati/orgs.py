"""Find or create the ledger organisations named in IATI files (by `iati_ref`, else by name)."""

from django.utils.text import slugify

from pledgewatch.iati.mapping import pick_texts
from pledgewatch.ledger.models import Country, Document, Organisation

# IATI OrganisationType → ledger OrgKind
ORG_KINDS = {"10": "government", "11": "government", "15": "agency", "21": "ngo", "22": "ngo", "23": "ngo",
             "24": "ngo", "30": "other", "40": "multilateral", "60": "other", "70": "company", "71": "company",
             "72": "company", "73": "company", "80": "other", "90": "other"}


class OrgCache:
    """Organisation ids by IATI reference or name, created once per import."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.docs: dict[str, int] = {}
        self.by_names: dict[tuple, int | None] = {}  # organisations without a reference, by their narratives

    def forget(self) -> None:
        """Drop the cache (after a rolled-back file, whose new rows are gone)."""
        self.ids.clear()
        self.docs.clear()
        self.by_names.clear()

    def document(self, doc: dict) -> int:
        """Return the id of the Document of an IATI document-link (one per address), creating it when new."""
        url = doc["url"]
        if url in self.docs:
            return self.docs[url]
        found = Document.objects.filter(iati_ref=url).order_by("pk").values_list("pk", flat=True).first()
        if found is None:
            found = Document.objects.create(
                kind="other", iati_ref=url, url=url if url.startswith(("http://", "https://")) else "",
                language=(doc.get("language") or "")[:10].lower(), date=doc.get("date"),
                **{k: doc[k] for k in ("title_ja", "title_en", "title_ru")}).pk
        self.docs[url] = found
        return found

    def get(self, org: dict | None, country: str | None = None) -> int | None:
        """Return the id of the organisation described by an IATI org dict, creating it when new.

        An organisation without a reference is told apart by its name and `country` (so that "Ministry of
        Finance" of Uzbekistan and of Tajikistan are two organisations).
        """
        if not org:
            return None
        ref = (org.get("ref") or "").strip()[:200]
        if ref:
            if f"ref:{ref}" in self.ids:  # the common case, without reading the names
                return self.ids[f"ref:{ref}"]
        else:
            raw = (tuple((org.get("names") or {}).items()), country)
            if raw in self.by_names:
                return self.by_names[raw]
            self.by_names[raw] = self._get(ref, org, country)
            return self.by_names[raw]
        return self._get(ref, org, country)

    def _get(self, ref: str, org: dict, country: str | None) -> int | None:
        names = pick_texts(org.get("names") or {}, "name", "en", 300)
        if not ref and not (names["name_en"] or names["name_ja"]):
            return None
        key = f"ref:{ref}" if ref else f"name:{names['name_en'] or names['name_ja']}:{country or ''}"
        if key in self.ids:
            return self.ids[key]
        if ref:
            found = Organisation.objects.filter(iati_ref=ref).order_by("pk").values_list("pk", flat=True).first()
        else:
            found = Organisation.objects.filter(iati_ref="", name_en=names["name_en"], name_ja=names["name_ja"],
                                                country_id=country).order_by("pk").values_list(
                "pk", flat=True).first()
        if found is None:
            found = self._create(ref, names, org.get("type") or "", country).pk
        self.ids[key] = found
        return found

    def _create(self, ref: str, names: dict, kind: str, country: str | None = None) -> Organisation:
        label = ref or " ".join(filter(None, [names["name_en"] or names["name_ja"], country]))
        base = slugify(label, allow_unicode=False)[:100] or "organisation"
        slug, n = base, 1
        while Organisation.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        if not names["name_en"]:
            names["name_en"] = names["name_ja"] or ref
        if ref:
            country = ref if len(ref) == 2 and ref.isalpha() and ref.isupper() else None

        if country and not Country.objects.filter(code=country).exists():
            country = None
        return Organisation.objects.create(slug=slug, iati_ref=ref, kind=ORG_KINDS.get(kind, "other"),
                                           country_id=country, **names)
