from django.utils.translation import gettext_lazy as _

from pledgewatch.exports.management.commands._export import ExportCommand


class Command(ExportCommand):
    help = _("Export the commitments as JSON, labelled, with headline money and counting rules. "
             "Example: pledgewatch export json --initiative ca-jad-tokyo-initiative --lang ja -o commitments.json")
    format_name = "json"
