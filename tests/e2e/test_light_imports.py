"""Commands import what they need when they run: help, show and list load no key parsing and no poller.

`PYTHONPROFILEIMPORTTIME=1` makes the real az (the wheel installed by az) list every module it
imports on stderr; the commands that never read a key or follow an operation must not load
cryptography's X.509/key modules nor fluxlite's poller (`azext_fluxlite._az_arm` is the sign that
the command itself ran: only command functions import it).
"""
import pytest

HEAVY = ("cryptography.x509", "cryptography.hazmat.primitives.serialization",
         "cryptography.hazmat.primitives.asymmetric", "azext_fluxlite.core.polling")


def _imported(stderr):
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def _heavy(names):
    return sorted(n for n in names if any(n == h or n.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize("args,loads", [
    (["k8s-configuration", "flux", "create", "--help"], "azext_fluxlite.flux.params"),
    (["k8s-configuration", "flux", "show", "-n", "absent"], "azext_fluxlite._az_arm"),
    (["k8s-configuration", "flux", "list"], "azext_fluxlite._az_arm"),
])
def test_help_show_and_list_import_no_key_parsing_and_no_poller(az, emulator, args, loads):
    cluster = emulator.new_cluster()
    extra = cluster if "--help" not in args else []
    res = az.run(*args, *extra, check=False, env={"PYTHONPROFILEIMPORTTIME": "1"})
    names = _imported(res.stderr)
    assert loads in names, "the command did not run fluxlite's code:\n" + res.stderr[-2000:]
    assert _heavy(names) == []


def test_a_write_does_load_the_poller(az, emulator):
    """The check above can fail: a command that follows an operation imports polling."""
    cluster = emulator.new_cluster()
    res = az.run("k8s-extension", "create", *cluster, "-n", "flux", "--extension-type", "microsoft.flux",
                 env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert "azext_fluxlite.core.polling" in _imported(res.stderr)
