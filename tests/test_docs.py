"""The README documents every command and every setting."""

from pathlib import Path

import pytest

from redline.cli import app
from redline.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands] + [
    f"{group.name} {c.name}" for group in app.registered_groups
    for c in group.typer_instance.registered_commands]


@pytest.mark.parametrize("command", COMMANDS)
def test_docs_every_command_is_documented(command):
    assert f"redline {command}" in README


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_docs_every_setting_is_documented(name):
    assert SETTINGS[name].env in README


def test_docs_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    test_line = next(line for line in README.splitlines() if "pytest" in line)
    assert test_line.split("#")[0].strip() in ci
