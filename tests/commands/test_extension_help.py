"""Help of `az k8s-extension ...`: every command renders, with the original option names."""
import re

import pytest

COMMANDS = ["create", "update", "delete", "list", "show"]
TYPE_COMMANDS = ["list-by-location", "show-by-location", "list-versions-by-location", "show-version-by-location",
                 "list-by-cluster", "show-by-cluster", "list-versions-by-cluster", "show-version-by-cluster"]


@pytest.mark.parametrize("command", ["k8s-extension " + c for c in COMMANDS] +
                         ["k8s-extension extension-types " + c for c in TYPE_COMMANDS])
def test_help_renders_with_examples(run_az, command):
    res = run_az(command + " -h")
    assert res.exit_code == 0, res.stderr
    assert "Examples" in res.stdout
    assert "az " + command in res.stdout


def _flat(text):
    """Help text with knack's line wrapping undone."""
    return re.sub(r"\s+", " ", re.sub(r"-\n\s+", "-", text))


def _options(help_text):
    """The option names of each argument line, e.g. {"--name", "-n", ...}."""
    found = set()
    for line in help_text.splitlines():
        match = re.match(r"^    (-[^:\[]+?)\s*(\[[A-Za-z]+\]\s*)?:", line)
        if match:
            found.update(match.group(1).split())
    return found


def test_create_help_lists_every_option_and_alias(run_az):
    res = run_az("k8s-extension create -h")
    options = _options(res.stdout)
    assert {"--cluster-name", "-c", "--cluster-type", "-t", "--extension-type", "--name", "-n", "--resource-group",
            "-g", "--cluster-resource-provider", "--cluster-rp", "--release-namespace", "--scope",
            "--target-namespace", "--auto-upgrade-minor-version", "--auto-upgrade", "--auto-upgrade-mode",
            "--release-train", "--version", "--configuration-settings", "--config", "--config-protected-settings",
            "--config-protected", "--config-settings-file", "--config-file", "--config-protected-settings-file",
            "--config-protected-file", "--plan-name", "--plan-product", "--plan-publisher",
            "--no-wait"} <= options
    # Hidden deprecated aliases still work but are not advertised.
    assert not {"--config-settings", "--configuration-protected-settings", "--configuration-settings-file",
                "--configuration-protected-settings-file"} & options
    assert "Allowed values: appliances, connectedClusters, fleets, managedClusters, provisionedClusters" in \
        _flat(res.stdout)


def test_update_delete_options(run_az):
    update = _options(run_az("k8s-extension update -h").stdout)
    assert {"--yes", "-y", "--auto-upgrade-mode", "--version", "--config", "--no-wait"} <= update
    assert not {"--scope", "--extension-type", "--plan-name", "--target-namespace"} & update
    delete = _options(run_az("k8s-extension delete -h").stdout)
    assert {"--force", "--yes", "-y", "--no-wait"} <= delete


def test_flux_settings_are_documented(run_az):
    text = _flat(run_az("k8s-extension update -h").stdout)
    for setting in ["helm-controller.detectDrift=true", "image-automation-controller.enabled",
                    "fluxconfig-agent.log-level", "multiTenancy.enforce=false", "--config-protected-file",
                    "source-controller.log-level=error"]:
        assert setting in text, setting


def test_hidden_deprecated_type_commands_are_not_listed(run_az):
    res = run_az("k8s-extension extension-types -h")
    assert res.exit_code == 0
    assert "list-by-location" in res.stdout
    # The first word of each command line: a listed deprecated command reads "show [Deprecated] : ...".
    commands = res.stdout.split("Commands:", 1)[1]
    listed = [m.group(1) for m in re.finditer(r"^    (\S+)(?: \[\w+\])?\s*:", commands, re.MULTILINE)]
    assert "list-by-location" in listed and "show-by-cluster" in listed
    assert not {"show", "list", "list-versions"} & set(listed)
    assert "Deprecated" not in res.stdout
