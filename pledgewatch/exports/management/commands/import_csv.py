from django.utils.translation import gettext_lazy as _

from pledgewatch.exports.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = _("Import commitments from a CSV file (an export, or a sheet with the same columns); "
             "all or nothing unless --skip-bad-rows, a second run changes nothing. "
             "Example: pledgewatch import csv commitments.csv --initiative ca-jad-tokyo-initiative --dry-run")
    format_name = "csv"
