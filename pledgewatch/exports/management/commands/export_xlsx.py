from django.utils.translation import gettext_lazy as _

from pledgewatch.exports.management.commands._export import ExportCommand


class Command(ExportCommand):
    help = _("Export the commitments as XLSX, labelled, with headline money and counting rules. "
             "Example: pledgewatch export xlsx --initiative ca-jad-tokyo-initiative --lang ja -o commitments.xlsx")
    format_name = "xlsx"
