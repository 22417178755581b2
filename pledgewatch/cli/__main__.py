"""Run `python -m pledgewatch.cli WORDS… [OPTIONS]` like the `pledgewatch` command."""

import sys

from pledgewatch.cli import main

sys.exit(main())
