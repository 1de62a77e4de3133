"""README stays true: every setting documented, the two set-up commands and the test command."""
from __future__ import annotations

import re

from search.settings import SETTINGS

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default():
    for setting in SETTINGS:
        assert f"| `{setting.name}` | `{setting.default}` |" in README, setting.name


def test_ci_runs_exactly_the_test_command_readme_gives():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "The test command itself is `.venv-test/bin/python -m pytest`" in README
    assert ci.rstrip().splitlines()[-1] == ".venv-test/bin/python -m pytest"
    assert "bash .ci/run" in README


def test_readme_first_command_indexes_then_serves_the_sample():
    [command] = re.findall(r"```bash\n(python3 -m venv .*)\n```", README)
    assert command.endswith("policy-search index && .venv/bin/policy-search serve")
