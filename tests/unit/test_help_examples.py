"""Every help example of every fluxlite command works when pasted: one az command on one line that az parses.

az re-wraps example text at the terminal width, so a multi-line example or a `\\` continuation breaks
when pasted.  The command table is built through az's own loader in this process (the fluxlite
extension loaded the way az loads it), so commands other modules add are covered without a list
here; each example's argv goes through the real az argument parser, which checks every flag, enum
choice and required argument without running the command.  Placeholder values (my-rg) are fine.
"""
import contextlib
import io
import re
import shlex

import pytest
import yaml

# Shell syntax that makes a line more than one az command (pipes, redirections, lists, substitutions).
SHELL_SYNTAX = re.compile(r"[|<>;`]|&&|\$\(")
CONTINUATION = re.compile(r"\\(\s|$)")


class _Examples:   # pylint: disable=too-few-public-methods
    """az's parser with fluxlite's command table, and fluxlite's help entries."""

    def __init__(self):
        from azure.cli.core import get_default_cli
        from knack.help_files import helps

        cli = get_default_cli()
        invocation = cli.invocation_cls(cli_ctx=cli, parser_cls=cli.parser_cls,
                                        commands_loader_cls=cli.commands_loader_cls, help_cls=cli.help_cls)
        cli.invocation = invocation
        loader = invocation.commands_loader
        table = loader.load_command_table(["k8s-configuration"])
        # fluxlite's commands, whatever their group: those its own loader registered
        ours = {name: cmd for name, cmd in table.items() if type(cmd.loader).__module__.startswith("azext_fluxlite")}
        loader.command_table = ours
        loader.command_group_table = {g: v for g, v in loader.command_group_table.items()
                                      if any(name.startswith(g + " ") for name in ours)}
        for name in ours:
            loader.command_name = name
            invocation.data["command_string"] = name
            loader.load_arguments(name)
        invocation.parser.load_command_table(loader)
        self.parser = invocation.parser
        self.commands = ours
        self.groups = set(loader.command_group_table)
        entries = [name for name in helps if name in ours or name in self.groups]
        self.examples = [(name, example.get("name"), example.get("text"))
                         for name in sorted(entries)
                         for example in (yaml.safe_load(helps[name]) or {}).get("examples") or []]
        self.helps = helps

    def parse(self, argv):
        """(namespace, None) when az parses `argv`, else (None, az's message)."""
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                return self.parser.parse_args(argv), None
            except SystemExit:
                return None, err.getvalue().strip().splitlines()[0] if err.getvalue().strip() else "refused"


@pytest.fixture(scope="module")
def examples():
    return _Examples()


def test_the_table_holds_every_fluxlite_command_group(examples):
    groups = {" ".join(name.split()[:3]) for name in examples.commands}
    assert {"k8s-configuration flux create", "k8s-configuration flux export", "k8s-configuration flux kustomization",
            "k8s-configuration flux deployed-object", "k8s-extension create", "k8s-extension extension-types list",
            "fluxlite emulator start"} <= groups
    assert not any(name.startswith(("aks ", "connectedk8s ")) for name in examples.commands)


def test_every_command_has_help_with_examples(examples):
    missing = [name for name in sorted(examples.commands) if name not in examples.helps]
    assert not missing, "commands without help: {}".format(missing)
    shown = {name for name, cmd in examples.commands.items() if not getattr(cmd, "deprecate_info", None)}
    without = sorted(shown - {name for name, _, _ in examples.examples})
    # every command a user sees in help (hidden deprecated aliases aside) shows how to run it
    assert without == [], "commands without an example: {}".format(without)


def check(examples, command, text):
    """The problems of one example of `command` ([] when it is one az command that parses)."""
    if not isinstance(text, str) or not text.strip():
        return ["no text"]
    text = text.strip()
    problems = []
    if "\n" in text:
        problems.append("spans {} lines".format(text.count("\n") + 1))
    if CONTINUATION.search(text):
        problems.append("has a line continuation (\\)")
    if SHELL_SYNTAX.search(text):
        problems.append("is more than one command (shell syntax {!r})".format(SHELL_SYNTAX.search(text).group(0)))
    if problems:
        return problems
    argv = shlex.split(text)
    if argv[0] != "az":
        return ["does not start with 'az '"]
    namespace, error = examples.parse(argv[1:])
    if namespace is None:
        return ["az refuses it: " + error]
    ran = getattr(namespace, "command", None)
    if command in examples.commands and ran != command:
        return ["runs '{}', not the command it documents".format(ran)]
    return []


def test_every_example_is_one_az_command_that_parses(examples):
    assert len(examples.examples) > 40
    failures = ["{} - {!r}: {}\n    {}".format(command, name, "; ".join(problems), text)
                for command, name, text in examples.examples
                for problems in [check(examples, command, text)] if problems]
    assert not failures, "help examples that break when pasted:\n" + "\n".join(failures)


CREATE = "k8s-configuration flux create"
EXPORT = "k8s-configuration flux export"


@pytest.mark.parametrize("command, text, expected", [
    (CREATE, "az k8s-configuration flux create -g rg -c c -t connectedClusters -n x -u https://h/r \\\n  --branch main",
     "spans 2 lines"),
    (CREATE, "az k8s-configuration flux create -g rg -c c -t connectedClusters -n x -u https://h/r \\ --branch main",
     "line continuation"),
    (EXPORT, "az k8s-configuration flux export -g rg -c c -t connectedClusters -n x > out.json", "shell syntax '>'"),
    (EXPORT, "az k8s-configuration flux export -g rg -c c -t connectedClusters -n x | tee out.json",
     "shell syntax '|'"),
    ("fluxlite emulator env", 'eval "$(az fluxlite emulator env)"', "shell syntax '$('"),
    (EXPORT, "kubectl get gitrepositories -A", "does not start with 'az '"),
    (CREATE, "az k8s-configuration flux create -g rg -c c -t connectedClusters -n x -u https://h/r --brnach main",
     "az refuses it"),
    (EXPORT, "az k8s-configuration flux export -g rg -c c -t connectedClusters -n x --export-format yaml",
     "az refuses it"),
    (EXPORT, "az k8s-configuration flux export -g rg -c c -t connectedClusters", "az refuses it"),
    (EXPORT, "az k8s-configuration flux show -g rg -c c -t connectedClusters -n x",
     "runs 'k8s-configuration flux show'"),
])
def test_the_check_refuses_what_breaks_when_pasted(examples, command, text, expected):
    problems = check(examples, command, text)
    assert any(expected in problem for problem in problems), problems


def test_a_good_example_passes(examples):
    assert check(examples, "k8s-configuration flux create",
                 "az k8s-configuration flux create -g RG -c CLUSTER -t managedClusters -n NAME -u https://h/r "
                 "--branch main --kustomization name=apps path=./apps prune=true") == []
