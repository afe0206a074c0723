"""The built wheel, added with the real `az extension add --source`, serves every command."""
import json
from concurrent.futures import ThreadPoolExecutor

COMMANDS = [
    "k8s-configuration flux create", "k8s-configuration flux update", "k8s-configuration flux list",
    "k8s-configuration flux show", "k8s-configuration flux delete",
    "k8s-configuration flux kustomization create", "k8s-configuration flux kustomization update",
    "k8s-configuration flux kustomization list", "k8s-configuration flux kustomization show",
    "k8s-configuration flux kustomization delete",
    "k8s-configuration flux deployed-object list", "k8s-configuration flux deployed-object show",
    "k8s-extension create", "k8s-extension update", "k8s-extension delete", "k8s-extension list",
    "k8s-extension show",
    "k8s-extension extension-types list-by-location", "k8s-extension extension-types show-by-location",
    "k8s-extension extension-types list-versions-by-location",
    "k8s-extension extension-types show-version-by-location",
    "k8s-extension extension-types list-by-cluster", "k8s-extension extension-types show-by-cluster",
    "k8s-extension extension-types list-versions-by-cluster",
    "k8s-extension extension-types show-version-by-cluster",
    "fluxlite emulator start", "fluxlite emulator env", "fluxlite emulator login", "fluxlite emulator stop",
    "k8s-configuration flux wait", "k8s-extension wait", "k8s-configuration flux export",
    "k8s-configuration flux kustomization graph",
]


def test_extension_show_reports_the_installed_wheel(installed_az):
    res = installed_az.run("extension", "show", "-n", "fluxlite", "-o", "json")
    info = json.loads(res.stdout)
    assert info["name"] == "fluxlite"
    assert info["version"] == "0.2.0"
    assert info["extensionType"] == "whl"
    assert info["metadata"]["azext.isPreview"] is True
    assert info["metadata"]["azext.minCliCoreVersion"] == "2.80.0"
    # The official SDKs were installed with it by `az extension add`.
    assert any(r.startswith("azure-mgmt-kubernetesconfiguration-fluxconfigurations")
               for r in info["metadata"]["requires_dist"])


def test_every_command_has_help_with_examples(installed_az):
    def help_of(command):
        return command, installed_az.run(*(command.split() + ["--help"]), check=False)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(help_of, COMMANDS))
    for command, res in results:
        assert res.returncode == 0, "{}: {}".format(command, res.stderr)
        assert "Examples" in res.stdout, command
        assert "Traceback" not in res.stderr, command


def test_the_original_aliases_are_accepted(installed_az):
    res = installed_az.run("k8s-configuration", "flux", "create", "--help")
    for option in ("--cluster-rp", "--ns", "--sync-interval", "--local-ref", "--sp-cert-password",
                   "--oci-layer-selector-media-type", "--kustomization", "-k", "--no-wait"):
        assert option in res.stdout, option
    res = installed_az.run("k8s-extension", "create", "--help")
    for option in ("--config", "--config-protected", "--config-file", "--auto-upgrade", "--auto-upgrade-mode",
                   "--release-train", "--plan-name"):
        assert option in res.stdout, option
