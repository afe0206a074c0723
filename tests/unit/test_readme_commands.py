"""Every fluxlite command README shows parses with az's own parser when pasted.

Shell code blocks are read as a shell would: `\\` continuations joined, comments dropped, and the az
command inside `eval "$(...)"` taken out.  Commands of other extensions (`az extension ...`) are not
fluxlite's to check.
"""
import os
import re
import shlex

import pytest

from tests.unit.test_help_examples import _Examples

README = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "README.md")
BLOCK = re.compile(r"```bash\n(.*?)```", re.S)


def readme_commands():
    with open(README, encoding="utf-8") as f:
        text = f.read()
    commands = []
    for block in BLOCK.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            argv = shlex.split(line, comments=True)
            if argv[:1] == ["eval"] and len(argv) == 2 and argv[1].startswith("$(") and argv[1].endswith(")"):
                argv = shlex.split(argv[1][2:-1])
            if argv[:1] == ["az"] and argv[1:2] != ["extension"]:
                commands.append(argv)
    return commands


@pytest.fixture(scope="module")
def examples():
    return _Examples()


def test_readme_shows_the_main_commands():
    shown = {" ".join(argv[1:4]) for argv in readme_commands()}
    assert {"k8s-configuration flux create", "k8s-extension create -g", "k8s-configuration fleet apply",
            "k8s-configuration flux build", "k8s-configuration flux status", "fluxlite emulator start",
            "fluxlite emulator env"} <= shown


def test_every_readme_command_parses(examples):
    failures = []
    for argv in readme_commands():
        namespace, error = examples.parse(argv[1:])
        if namespace is None:
            failures.append("{}: {}".format(" ".join(argv), error))
    assert not failures, "README commands az refuses:\n" + "\n".join(failures)
