"""API endpoints for what the dashboard pages show beyond the ledger endpoints: countries, pillars with
their counted money, the progress series and the chronology. Each returns the context of its page."""

from typing import Any

from ninja import Router

from pledgewatch.ledger import timeline
from pledgewatch.web.pages import details, lists, overview
from pledgewatch.web.pages.common import get_initiative

router = Router(tags=["dashboard"])


@router.get("/countries", response=dict[str, Any])
def list_countries(request):
    """Recipient and in-scope countries with their counted money (the /countries/ page)."""
    return lists.countries()


@router.get("/countries/{code}", response=dict[str, Any])
def country_detail(request, code: str):
    """A country: counted money, commitments, documents and organisations (the /countries/{code}/ page)."""
    return details.country(code)


@router.get("/initiatives/{slug}/pillars/{pillar}", response=dict[str, Any])
def pillar_detail(request, slug: str, pillar: str):
    """A pillar: counted money, its focus areas and commitments."""
    return overview.pillar(get_initiative(slug), pillar)


@router.get("/initiatives/{slug}/timeline", response=dict[str, Any])
def initiative_timeline(request, slug: str):
    """Counted money over time, the linear path and the projection, and the dated events of the initiative."""
    initiative = get_initiative(slug)
    page = overview.overview(initiative)
    return {"initiative": slug, "currency": page["progress"]["currency"], "pace": page["progress"]["pace"],
            "series": page["series"], "entries": timeline.entries(initiative)}


@router.get("/sources/{int:source_id}", response=dict[str, Any])
def source_detail(request, source_id: int):
    """A source with the full text it quotes, cut around the quoted span."""
    return details.source(source_id)
