"""Regenerate docs/cli.md from the commands: .venv/bin/python scripts/gen_docs.py"""

import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
django.setup()

from pledgewatch.cli.doc import reference  # noqa: E402

path = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
path.write_text(reference(), encoding="utf-8")
print(f"wrote {path}")
