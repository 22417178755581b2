import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.newsletter.worker import Worker

log = logging.getLogger("pledgewatch.worker")


class Command(PledgewatchCommand):
    help = gettext_lazy("Run background work: send newsletter deliveries, queue scheduled issues, read bounces. "
              "Example: pledgewatch worker --until-idle")

    def add_arguments(self, parser):
        parser.add_argument("--until-idle", action="store_true",
                            help=gettext_lazy("exit when nothing is left, including retries due within --wait"))
        parser.add_argument("--wait", type=float, default=60.0,
                            help=gettext_lazy("with --until-idle, wait this many seconds for due retries (default 60)"))

    def handle(self, *args, **options):
        worker = Worker(log=log.warning)
        sent = worker.run(until_idle=options["until_idle"], wait=options["wait"])
        self.stdout.write(_("%(n)s messages sent.") % {"n": sent})
