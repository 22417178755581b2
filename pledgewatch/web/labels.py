"""Labels of ledger codes in the reader's language (codes stay in JSON next to their labels)."""

from django.utils.translation import gettext_lazy as _

INSTRUMENT = {"loan": _("loan"), "grant": _("grant"), "technical_cooperation": _("technical cooperation"),
              "investment": _("investment"), "guarantee": _("guarantee"), "other": _("other")}
STAGE = {"announced": _("announced"), "signed": _("signed"), "committed": _("committed"),
         "disbursing": _("disbursing"), "completed": _("completed"), "cancelled": _("cancelled")}
SECTOR = {"public": _("public"), "private": _("private")}
QUALIFIER = {"exact": _("exact"), "approx": _("approximately"), "up_to": _("up to"), "at_least": _("at least"),
             "undisclosed": _("undisclosed")}
PACE = {"on_track": _("on track"), "behind": _("behind"), "ahead": _("ahead"), "not_started": _("not started")}
STATUS = {"counted": _("counted toward the target"), "pipeline": _("pipeline (announced, not counted yet)"),
          "not_counted_stage": _("not counted at this stage"), "cancelled": _("cancelled: never counted"),
          "out_of_scope": _("outside the initiative's scope")}
MONEY_STATUS = {"converted": _("converted"), "undisclosed": _("amount undisclosed"),
                "unconvertible": _("no exchange rate: excluded from the total")}
POLICY = {"date": _("rate of the commitment date"), "month": _("average rate of the commitment month"),
          "year": _("average rate of the commitment year"), "fixed": _("fixed initiative rates")}
DOCUMENT_KIND = {"declaration": _("declaration"), "initiative": _("initiative text"),
                 "exchange_of_notes": _("exchange of notes"), "loan_agreement": _("loan agreement"),
                 "mou": _("memorandum of understanding"), "press_release": _("press release"),
                 "article": _("news article"), "other": _("other")}
EVENT_KIND = {"summit": _("summit"), "ministerial": _("ministerial meeting"), "dinner": _("dinner"),
              "meeting": _("meeting"), "other": _("other")}
ORG_KIND = {"government": _("government"), "agency": _("agency"), "company": _("company"),
            "multilateral": _("multilateral"), "ngo": _("NGO"), "other": _("other")}
UNASSIGNED = _("Unassigned")
FLAG = {"up_to": _("“up to” amount, counted at face value"), "approx": _("approximate amount"),
        "at_least": _("minimum amount"), "undisclosed": _("amount undisclosed"),
        "unconvertible": _("no exchange rate: excluded from the total")}
SOURCE_FIELD = {"": _("the record as a whole"), "amount": _("amount"), "stage": _("stage"),
                "instrument": _("instrument"), "date": _("date"), "count": _("number of documents"),
                "title": _("title"), "recipients": _("recipients"), "pillar": _("pillar")}
BASIS = {"stated": _("stated"), "identifier": _("inferred from an identifier"),
         "location": _("inferred from a location")}
HISTORY_TYPE = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def label(table: dict, key) -> str:
    """Return the label of key in table, the key itself when unknown, and "Unassigned" for "unassigned"."""
    if key in (None, "", "unassigned"):
        return str(UNASSIGNED)
    return str(table.get(key, key))


def coded(table: dict, key) -> dict:
    """Return {"key": key, "label": label} for JSON and templates."""
    return {"key": key, "label": label(table, key)}
