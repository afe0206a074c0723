"""az's own conventions, through the real az: confirmation config, configured defaults, output,
--only-show-errors, --query and exit codes."""
import importlib
import inspect
import json
import re

import pytest
import responses

from .conftest import ARM, lro
from .fakes import EXT_API, add_json, async_headers, extension_resource, flux_resource, json_body, op_url, url

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
EXT_URL = ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/" \
                "Microsoft.Kubernetes/connectedClusters/c1/providers/Microsoft.KubernetesConfiguration/extensions/"
NO_TTY = "Unable to prompt for confirmation as no tty available"
PRUNE_WARNING = ("Prune is enabled on one or more of your kustomizations. Deleting a Flux configuration with "
                 "prune enabled will also delete the Kubernetes objects deployed by the kustomization(s).")


@pytest.fixture
def no_prompts(monkeypatch):
    """`az config set core.disable_confirm_prompt=true`, as CI systems set it."""
    monkeypatch.setenv("AZURE_CORE_DISABLE_CONFIRM_PROMPT", "true")


def _flux_delete_lro(arm):
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.DELETE, url("fluxConfigurations", "cfg", query="api-version=2025-04-01&forceDelete=false"),
             None, status=202, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])


def _flux_patch_lro(arm):
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PATCH, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=202, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])


def _extension(arm, settings=None):
    resource = extension_resource()
    resource["properties"]["configurationSettings"] = settings or {}
    add_json(arm, responses.GET, EXT_URL + "flux?" + EXT_API, resource)
    return resource



def _arm_requests(mock):
    """The requests that went to ARM (az core may fetch other things, e.g. its version index)."""
    return [(c.request.method, c.request.url) for c in mock.calls if c.request.url.startswith(ARM)]

# -- core.disable_confirm_prompt: every prompt ------------------------------------------------------
PROMPTED = {
    # command -> (set-up, the write it makes once confirmed)
    "flux delete": ("k8s-configuration flux delete " + CLUSTER + " -n cfg", "DELETE"),
    "flux update kind change": ("k8s-configuration flux update " + CLUSTER + " -n cfg --kind bucket "
                                "-u https://s3.example.com --bucket-name b --local-auth-ref r", "PATCH"),
    "kustomization delete": ("k8s-configuration flux kustomization delete " + CLUSTER + " -n cfg -k infra",
                             "PATCH"),
    "extension update": ("k8s-extension update " + CLUSTER + " -n flux --config "
                         "helm-controller.detectDrift=true", "PATCH"),
    "extension delete": ("k8s-extension delete " + CLUSTER + " -n flux", "DELETE"),
}


def _answer_everything(arm):
    """ARM answers for every prompted command (the configuration's kustomization has prune on)."""
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    _flux_delete_lro(arm)
    _flux_patch_lro(arm)
    _extension(arm)
    add_json(arm, responses.PATCH, EXT_URL + "flux?" + EXT_API, extension_resource())
    add_json(arm, responses.DELETE, EXT_URL + "flux?" + EXT_API + "&forceDelete=false", None, status=200)


@pytest.mark.parametrize("which", sorted(PROMPTED))
def test_disable_confirm_prompt_answers_every_prompt(run_az, arm, no_prompts, which):
    command, method = PROMPTED[which]
    _answer_everything(arm)
    res = run_az(command)
    assert res.exit_code == 0, res.stderr
    assert NO_TTY not in res.output
    assert res.writes and {w.method for w in res.writes} == {method}


@pytest.mark.parametrize("which", sorted(PROMPTED))
def test_without_the_setting_and_without_a_terminal_nothing_is_written(run_az, arm, which):
    command, _ = PROMPTED[which]
    _answer_everything(arm)
    res = run_az(command)
    assert res.exit_code == 1
    assert NO_TTY in res.stderr and "--yes" in res.stderr and "core.disable_confirm_prompt" in res.stderr
    assert res.writes == []


@pytest.mark.parametrize("value", ["false", "no", "0"])
def test_the_setting_turned_off_still_prompts(run_az, arm, monkeypatch, value):
    monkeypatch.setenv("AZURE_CORE_DISABLE_CONFIRM_PROMPT", value)
    _answer_everything(arm)
    res = run_az(PROMPTED["extension delete"][0])
    assert res.exit_code == 1 and NO_TTY in res.stderr
    assert res.writes == []


def _questions(res):
    """The questions knack asked on the terminal, in order."""
    return re.findall(r"([A-Z][^?\n\"{}]*\?) \(y/n\): ", res.stdout)


def test_flux_delete_with_prune_asks_twice_and_says_what_prune_deletes(run_az, arm):
    _answer_everything(arm)
    res = run_az(PROMPTED["flux delete"][0], answers=["y", "y"])
    assert res.exit_code == 0, res.stderr
    # knack writes each question to the terminal; the second comes after the prune warning.
    assert _questions(res) == ["Are you sure you want to perform this operation?", "Do you want to continue?"]
    assert "WARNING: " + PRUNE_WARNING in res.stderr
    assert [w.method for w in res.writes] == ["DELETE"]


def test_flux_delete_declined_at_the_prune_prompt_deletes_nothing(run_az, arm):
    _answer_everything(arm)
    res = run_az(PROMPTED["flux delete"][0], answers=["y", "n"])
    assert res.exit_code == 1
    assert "Operation cancelled." in res.stderr
    assert res.writes == []


def test_flux_delete_without_prune_asks_once(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             flux_resource(kustomizations={"apps": {"name": "apps", "path": "./apps", "prune": False}}))
    _flux_delete_lro(arm)
    res = run_az(PROMPTED["flux delete"][0], answers=["y"])
    assert res.exit_code == 0, res.stderr
    assert _questions(res) == ["Are you sure you want to perform this operation?"]
    assert "Prune" not in res.stderr


def test_kustomization_delete_with_prune_asks_the_second_question(run_az, arm):
    _answer_everything(arm)
    res = run_az(PROMPTED["kustomization delete"][0], answers=["y", "y"])
    assert res.exit_code == 0, res.stderr
    assert _questions(res) == ["Are you sure you want to perform this operation?", "Do you want to continue?"]
    assert [w.method for w in res.writes] == ["PATCH"]


# -- --dry-run prints byte for byte the body that is sent ---------------------------------------------
DEFAULTED_CREATE = "k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main"


def _put_flux(arm):
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Creating"),
             status=201, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())


@pytest.mark.parametrize("extra", ["", " --kind git", " -k name=apps path=./apps"])
def test_flux_create_dry_run_prints_the_body_that_is_sent(run_az, arm, extra):
    """Without --scope/--namespace (az's defaults), the preview shows "cluster"/"default", not markers."""
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    _put_flux(arm)
    preview = run_az(DEFAULTED_CREATE + extra + " --dry-run -o json")
    assert preview.exit_code == 0, preview.stderr
    assert "isDefault" not in preview.stdout
    planned = json.loads(preview.stdout)[-1]["body"]
    assert planned["properties"]["scope"] == "cluster" and planned["properties"]["namespace"] == "default"
    sent = run_az(DEFAULTED_CREATE + extra)
    assert sent.exit_code == 0, sent.stderr
    assert json_body(sent.writes[0]) == planned


def test_kustomization_create_dry_run_without_path_prints_the_body_that_is_sent(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    _flux_patch_lro(arm)
    command = "k8s-configuration flux kustomization create " + CLUSTER + " -n cfg -k web"
    preview = run_az(command + " --dry-run -o json")
    assert preview.exit_code == 0, preview.stderr
    assert "isDefault" not in preview.stdout
    planned = json.loads(preview.stdout)[0]["body"]
    assert planned == {"properties": {"kustomizations": {"web": {"path": "", "wait": True}}}}
    sent = run_az(command)
    assert sent.exit_code == 0, sent.stderr
    assert json_body(sent.writes[0]) == planned


def test_defaulted_values_export_as_plain_values(run_az, arm):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    res = run_az(DEFAULTED_CREATE + " --dry-run --export-format arm -o json")
    assert res.exit_code == 0, res.stderr
    assert "isDefault" not in res.stdout
    assert '"scope": "cluster"' in res.stdout and '"namespace": "default"' in res.stdout


# -- az configure --defaults group=... fills -g on every command that takes it -------------------------
# Values for the required arguments of any fluxlite command (by dest name).
REQUIRED_VALUES = {
    "cluster_name": "-c c1", "cluster_type": "-t connectedClusters", "name": "-n cfg",
    "kustomization_name": "-k infra", "url": "-u https://github.com/x/y --branch main",
    "extension_type": "--extension-type foo.bar",
    "object_name": "--object-name x", "object_namespace": "--object-namespace default",
    "object_kind": "--object-kind GitRepository", "location": "-l eastus", "version": "--version 1.0.0",
    "export_format": "--export-format arm", "source_dir": "-d .",
}
WAIT_CONDITION = " --deleted"     # answered at once by the 404 below


def _takes_group():
    from azure.cli.core import get_default_cli
    cli = get_default_cli()
    from azext_fluxlite._loader import FluxliteCommandsLoader
    loader = FluxliteCommandsLoader(cli_ctx=cli)
    table = loader.load_command_table(None)
    found = {}
    for name, command in sorted(table.items()):
        if getattr(command, "deprecate_info", None):
            continue
        function = _function_of(command.command_kwargs["command_operation"])
        params = inspect.signature(function).parameters
        if "resource_group_name" not in params:
            continue
        # Required arguments, and the configuration's name where it is optional (flux build).
        required = [p for p, spec in params.items() if (spec.default is inspect.Parameter.empty or p == "name")
                    and p not in ("cmd", "resource_group_name")]
        found[name] = required
    return found


def _function_of(operation):
    module, _, function = operation.op_path.partition("#")
    return getattr(importlib.import_module(module), function)


def test_the_command_list_is_read_from_the_real_table():
    commands = _takes_group()
    assert "k8s-configuration flux create" in commands and "k8s-extension list" in commands
    assert "k8s-extension extension-types list-by-cluster" in commands
    assert "k8s-extension extension-types list-by-location" not in commands


@pytest.fixture
def group_default(monkeypatch):
    """`az configure --defaults group=rg1`."""
    monkeypatch.setenv("AZURE_DEFAULTS_GROUP", "rg1")


@pytest.mark.parametrize("command", sorted(_takes_group()))
def test_configured_default_group_fills_resource_group(run_az, arm, group_default, no_prompts, command):
    seen = []

    def not_found(request):
        seen.append(request.url)
        return 404, {"Content-Type": "application/json"}, json.dumps(
            {"error": {"code": "ResourceNotFound", "message": "not here"}})

    for method in (responses.GET, responses.PUT, responses.PATCH, responses.DELETE):
        arm.add_callback(method, re.compile(re.escape(ARM) + ".*"), callback=not_found)
    # The cluster always (some commands take it optionally), then whatever else the command requires.
    required = [d for d in _takes_group()[command] if d not in ("cluster_name", "cluster_type")]
    args = " ".join(REQUIRED_VALUES[dest] for dest in ["cluster_name", "cluster_type"] + required)
    if command.endswith(" wait"):
        args += WAIT_CONDITION
    res = run_az(command + " " + args)
    assert "--resource-group" not in res.stderr, res.stderr
    assert res.exit_code != 2, res.stderr
    assert seen, res.stderr
    assert all("/resourceGroups/rg1/" in address for address in seen)


# -- core.output, --query, --only-show-errors ------------------------------------------------------
def test_core_output_is_the_default_format(run_az, arm, monkeypatch):
    monkeypatch.setenv("AZURE_CORE_OUTPUT", "tsv")
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    res = run_az("k8s-configuration flux show " + CLUSTER + " -n cfg --query complianceState")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "Compliant\n"


def test_core_output_table_uses_the_table_of_flux_show(run_az, arm, monkeypatch):
    monkeypatch.setenv("AZURE_CORE_OUTPUT", "table")
    resource = flux_resource()
    resource["properties"]["statusUpdatedAt"] = "2026-11-21T10:05:00+00:00"
    resource["properties"]["sourceUpdatedAt"] = "2026-11-21T10:04:00+00:00"
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), resource)
    res = run_az("k8s-configuration flux show " + CLUSTER + " -n cfg")
    assert res.exit_code == 0, res.stderr
    header, rule, row = res.stdout.splitlines()
    assert header.split() == ["Namespace", "Name", "Scope", "ProvisioningState", "ComplianceState",
                              "StatusUpdatedAt", "SourceUpdatedAt"]
    assert set(rule) <= {"-", " "}
    assert row.split() == ["default", "cfg", "cluster", "Succeeded", "Compliant", "2026-11-21T10:05:00+00:00",
                           "2026-11-21T10:04:00+00:00"]


LIST_QUERIES = {
    "k8s-configuration flux list " + CLUSTER: (
        "fluxConfigurations", None, {"value": [flux_resource("one"), flux_resource("two")]}, "[].name", "one\ntwo\n"),
    "k8s-configuration flux kustomization list " + CLUSTER + " -n cfg": (
        "fluxConfigurations", "cfg", flux_resource(), "keys(@)", "infra\n"),
    "k8s-configuration flux deployed-object list " + CLUSTER + " -n cfg": (
        "fluxConfigurations", "cfg", flux_resource(statuses=[
            {"name": "cfg", "namespace": "default", "kind": "GitRepository", "complianceState": "Compliant"},
            {"name": "infra", "namespace": "default", "kind": "Kustomization", "complianceState": "Pending"}]),
        "[?complianceState!='Compliant'].kind", "Kustomization\n"),
}


@pytest.mark.parametrize("command", sorted(LIST_QUERIES))
def test_query_on_flux_list_commands(run_az, arm, command):
    kind, name, answer, query, expected = LIST_QUERIES[command]
    add_json(arm, responses.GET, url(kind, name), answer)
    res = run_az(command + " --query \"" + query + "\" -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == expected


def test_query_on_extension_list(run_az, arm):
    add_json(arm, responses.GET, EXT_URL[:-1] + "?" + EXT_API,
             {"value": [extension_resource("flux"), extension_resource("dapr", "microsoft.dapr")]})
    res = run_az("k8s-extension list " + CLUSTER + " --query \"[?extensionType=='microsoft.dapr'].name\" -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "dapr\n"


def test_query_on_extension_types_list(run_az, arm):
    address = (ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
               "Microsoft.KubernetesConfiguration/locations/eastus/extensionTypes?api-version=2023-05-01-preview")
    add_json(arm, responses.GET, address, {"value": [
        {"name": "microsoft.flux", "properties": {"supportedScopes": {"defaultScope": "cluster"}}},
        {"name": "microsoft.dapr", "properties": {"supportedScopes": {"defaultScope": "namespace"}}}]})
    res = run_az("k8s-extension extension-types list-by-location -l eastus "
                 "--query \"[?properties.supportedScopes.defaultScope=='cluster'].name\" -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "microsoft.flux\n"


def test_query_on_a_write_and_on_show_commands(run_az, arm):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    _put_flux(arm)
    res = run_az(DEFAULTED_CREATE + " -k name=infra path=./infrastructure --query provisioningState -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "Succeeded\n"
    res = run_az("k8s-configuration flux kustomization show " + CLUSTER + " -n cfg -k infra "
                 "--query infra.path -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "./infrastructure\n"
    _extension(arm)
    res = run_az("k8s-extension show " + CLUSTER + " -n flux --query \"[extensionType, provisioningState]\" -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "microsoft.flux\nSucceeded\n"     # az prints a list one item a line


def test_query_on_extension_type_versions(run_az, arm):
    address = (ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
               "Microsoft.KubernetesConfiguration/locations/eastus/extensionTypes/microsoft.flux/versions"
               "?showLatest=false&api-version=2023-05-01-preview")
    arm.add(responses.GET, address, json={"value": [{"name": "1.17.3", "properties": {"version": "1.17.3"}},
                                                    {"name": "1.16.0", "properties": {"version": "1.16.0"}}]})
    res = run_az("k8s-extension extension-types list-versions-by-location -l eastus --extension-type microsoft.flux "
                 "--query \"[].properties.version\" -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "1.17.3\n1.16.0\n"


ONLY_ERRORS = [("flag", " --only-show-errors"), ("config", "")]


@pytest.mark.parametrize("how,flag", ONLY_ERRORS)
def test_only_show_errors_silences_fluxlite_warnings(run_az, arm, monkeypatch, how, flag):
    if how == "config":
        monkeypatch.setenv("AZURE_CORE_ONLY_SHOW_ERRORS", "true")
    add_json(arm, responses.GET, url("fluxConfigurations", "gone"),
             {"error": {"code": "ResourceNotFound", "message": "not found"}}, status=404)
    res = run_az("k8s-configuration flux delete " + CLUSTER + " -n gone --yes" + flag)
    assert res.exit_code == 0, res.stderr
    assert res.stderr == ""


def test_warnings_show_without_only_show_errors(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "gone"),
             {"error": {"code": "ResourceNotFound", "message": "not found"}}, status=404)
    res = run_az("k8s-configuration flux delete " + CLUSTER + " -n gone --yes")
    assert res.stderr == ("WARNING: No flux configuration with name 'gone' found on cluster 'c1', "
                          "so nothing to delete\n")


@pytest.mark.parametrize("flag", [" --only-show-errors", ""])
def test_only_show_errors_silences_create_warnings_but_not_errors(run_az, arm, flag):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    res = run_az(DEFAULTED_CREATE + " --dry-run" + flag)
    assert res.exit_code == 0, res.stderr
    assert ("WARNING" in res.stderr) is (flag == "")
    res = run_az(DEFAULTED_CREATE.replace("-n cfg", "-n Bad_Name") + flag)
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --name 'Bad_Name'")


@pytest.mark.parametrize("how", ["flag", "config", "neither"])
@pytest.mark.parametrize("command,address,resource", [
    ("k8s-configuration flux wait " + CLUSTER + " -n cfg --exists", url("fluxConfigurations", "cfg"),
     flux_resource()),
    ("k8s-extension wait " + CLUSTER + " -n flux --created", EXT_URL + "flux?" + EXT_API, extension_resource()),
])
def test_only_show_errors_silences_wait_progress(run_az, arm, monkeypatch, how, command, address, resource):
    if how == "config":
        monkeypatch.setenv("AZURE_CORE_ONLY_SHOW_ERRORS", "true")
    add_json(arm, responses.GET, address, resource)
    res = run_az(command + (" --only-show-errors" if how == "flag" else ""))
    assert res.exit_code == 0, res.stderr
    if how == "neither":
        assert res.stderr.startswith("Waiting for ")
    else:
        assert res.stderr == ""


@pytest.mark.parametrize("flag", [" --only-show-errors", ""])
def test_only_show_errors_silences_compliance_waiting(run_az, arm, flag):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    _flux_patch_lro(arm)
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg --branch dev --wait-for-compliance" + flag)
    assert res.exit_code == 0, res.stderr
    assert ("Waiting for flux configuration 'cfg' to be compliant" in res.stderr) is (flag == "")
    if flag:
        assert res.stderr == ""


# -- exit codes: 0 ok, 1 error, 2 usage, 3 not found ---------------------------------------------------
def test_exit_code_0_on_success(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    assert run_az("k8s-configuration flux show " + CLUSTER + " -n cfg").exit_code == 0


@pytest.mark.parametrize("command", [
    "k8s-configuration flux show -g rg1 -c c1 -t nonsenseClusters -n cfg",   # not a cluster type
    "k8s-configuration flux show -g rg1 -c c1 -t connectedClusters",           # --name missing
    "k8s-extension show -g rg1 -t connectedClusters -n flux",                  # --cluster-name missing
    "k8s-configuration flux create " + CLUSTER + " -n cfg -u https://x/y --no-such-flag",
])
def test_exit_code_2_on_a_usage_error(run_az, arm, command):
    res = run_az(command)
    assert res.exit_code == 2
    assert _arm_requests(arm) == []


@pytest.mark.parametrize("command,address", [
    ("k8s-configuration flux show " + CLUSTER + " -n cfg", url("fluxConfigurations", "cfg")),
    ("k8s-configuration flux deployed-object list " + CLUSTER + " -n cfg", url("fluxConfigurations", "cfg")),
    ("k8s-extension show " + CLUSTER + " -n flux", EXT_URL + "flux?" + EXT_API),
])
def test_exit_code_3_when_the_resource_is_not_found(run_az, arm, command, address):
    add_json(arm, responses.GET, address, {"error": {"code": "ResourceNotFound", "message": "not found"}},
             status=404)
    res = run_az(command)
    assert res.exit_code == 3, res.stderr


def test_exit_code_3_for_a_missing_deployed_object(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    res = run_az("k8s-configuration flux deployed-object show " + CLUSTER + " -n cfg --object-name x "
                 "--object-namespace default --object-kind HelmRelease")
    assert res.exit_code == 3
    assert "Deployed object with name 'x'" in res.stderr


@pytest.mark.parametrize("command,setup", [
    ("k8s-configuration flux create " + CLUSTER + " -n Bad_Name -u https://github.com/x/y", None),
    ("k8s-configuration flux show " + CLUSTER + " -n cfg", "500"),
])
def test_exit_code_1_on_a_bad_value_or_a_service_error(run_az, arm, command, setup):
    if setup == "500":      # answered again on every retry
        arm.add(responses.GET, url("fluxConfigurations", "cfg"), status=500,
                json={"error": {"code": "InternalServerError", "message": "boom"}})
    res = run_az(command)
    assert res.exit_code == 1, res.stderr
    assert res.writes == []
