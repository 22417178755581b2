from django.utils.translation import gettext_lazy as _

from pledgewatch.exports.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = _("Import commitments from a JSON file (an export, or a sheet with the same columns); "
             "all or nothing unless --skip-bad-rows, a second run changes nothing. "
             "Example: pledgewatch import json commitments.json --initiative ca-jad-tokyo-initiative --dry-run")
    format_name = "json"
