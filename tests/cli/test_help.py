"""Every command's --help and every group word (`pledgewatch newsletter`) work in Japanese and English.

The commands are run as a user runs them (through `pledgewatch.cli.main`), with their help texts as the
commands define them: lazily translated, never converted to strings by the test first.
"""

import os
import subprocess
import sys

import pytest
from django.core.management import get_commands, load_command_class
from django.utils import translation

from pledgewatch.cli import main
from pledgewatch.cli.i18n import summary

COMMANDS = sorted(name for name, app in get_commands().items() if app.startswith("pledgewatch."))
GROUPS = sorted({" ".join(name.split("_")[:n]) for name in COMMANDS for n in range(1, name.count("_") + 1)}
                - {name.replace("_", " ") for name in COMMANDS})


def squeeze(text: str) -> str:
    """Return text without whitespace (argparse re-wraps help, and breaks Japanese lines anywhere)."""
    return "".join(text.split())


def run_cli(capsys, monkeypatch, lang: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("PLEDGEWATCH_LANG", lang)
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse ends --help with exit(0)
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def expected_help(name: str, lang: str) -> str:
    with translation.override(lang):
        return str(load_command_class(get_commands()[name], name).help)


def test_the_lists_are_complete():
    assert len(COMMANDS) >= 25
    assert {"demo", "serve", "extract", "import_iati", "newsletter_issue_create"} < set(COMMANDS)
    assert {"export", "import", "newsletter", "newsletter issue", "newsletter member", "newsletter members",
            "user"} <= set(GROUPS)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(capsys, monkeypatch, name, lang):
    code, out, err = run_cli(capsys, monkeypatch, lang, *name.split("_"), "--help")
    assert (code, err) == (0, "")
    words = name.replace("_", " ")
    assert out.startswith(f"usage: pledgewatch {words} [-h]")
    text = expected_help(name, lang)
    assert squeeze(text) in squeeze(out)
    if lang == "ja":  # translated, not the English text
        assert text != expected_help(name, "en")
        assert any("\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" for char in summary(text)), text


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("flag", [[], ["--help"]])
def test_every_group_word_lists_its_commands(capsys, monkeypatch, group, lang, flag):
    code, out, err = run_cli(capsys, monkeypatch, lang, *group.split(), *flag)
    assert (code, err) == (0, "")
    title = {"ja": f"`pledgewatch {group}` のコマンド:", "en": f"Commands of `pledgewatch {group}`:"}[lang]
    assert out.startswith(title + "\n\n")
    members = [name for name in COMMANDS if name.startswith(group.replace(" ", "_") + "_")]
    assert members
    for name in members:
        assert f"  pledgewatch {name.replace('_', ' ')}\n      {summary(expected_help(name, lang))}\n" in out


def test_group_listing_in_full(capsys, monkeypatch):
    code, out, _err = run_cli(capsys, monkeypatch, "en", "user")
    assert code == 0
    assert out == (
        "Commands of `pledgewatch user`:\n\n"
        "  pledgewatch user add\n      " + summary(expected_help("user_add", "en")) + "\n"
        "  pledgewatch user list\n      List the accounts with their roles.\n"
        "  pledgewatch user role\n      " + summary(expected_help("user_role", "en")) + "\n"
        "  pledgewatch user unlock\n      " + summary(expected_help("user_unlock", "en")) + "\n\n"
        "Each command has --help, e.g. `pledgewatch user add --help`.\n")


def test_a_group_word_with_an_unknown_word_is_an_error(capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, "en", "import", "frobnicate")
    assert (code, out) == (2, "")
    assert err == "Unknown command: import frobnicate. Run `pledgewatch --help`.\n"


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "words"), [("ja", "newsletter issue create"), ("en", "extract")])
def test_help_in_a_real_process(tmp_path, lang, words):
    env = {**os.environ, "PLEDGEWATCH_DATA_DIR": str(tmp_path), "PLEDGEWATCH_LANG": lang}
    out = subprocess.run([sys.executable, "-m", "pledgewatch.cli", *words.split(), "--help"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout.startswith(f"usage: pledgewatch {words} [-h]")
    assert squeeze(expected_help(words.replace(" ", "_"), lang)) in squeeze(out.stdout)
