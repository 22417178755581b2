"""ISO 3166-1 countries with English, Japanese and Russian names (pycountry's iso-codes translations)."""

import gettext

import pycountry

# Short Japanese names in common use, where iso-codes' official long form reads oddly on a dashboard.
JA_OVERRIDES = {
    "JP": "日本", "KZ": "カザフスタン", "KG": "キルギス", "TJ": "タジキスタン", "TM": "トルクメニスタン",
    "UZ": "ウズベキスタン", "US": "米国", "GB": "英国", "RU": "ロシア", "CN": "中国", "KR": "韓国",
    "AF": "アフガニスタン", "IR": "イラン", "TR": "トルコ",
}
RU_OVERRIDES = {"KG": "Киргизия", "JP": "Япония"}
EN_OVERRIDES = {"KG": "Kyrgyzstan"}


def _translator(language: str):
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def country_rows() -> list[dict]:
    """Return every ISO 3166-1 country as a dict of model field values."""
    ja, ru = _translator("ja"), _translator("ru")
    rows = []
    for c in pycountry.countries:
        common = getattr(c, "common_name", None) or c.name
        rows.append({
            "code": c.alpha_2, "iso3": c.alpha_3, "numeric": c.numeric,
            "name_en": EN_OVERRIDES.get(c.alpha_2, common),
            "name_ja": JA_OVERRIDES.get(c.alpha_2, ja.gettext(c.name)),
            "name_ru": RU_OVERRIDES.get(c.alpha_2, ru.gettext(c.name)),
        })
    return rows


def load_countries(Country) -> int:
    """Create or update all countries; return how many rows changed."""
    existing = {c.code: c for c in Country.objects.all()}
    changed = 0
    for row in country_rows():
        current = existing.get(row["code"])
        if current is None:
            Country.objects.create(**row)
            changed += 1
        elif any(getattr(current, k) != v for k, v in row.items()):
            for k, v in row.items():
                setattr(current, k, v)
            current.save()
            changed += 1
    return changed
