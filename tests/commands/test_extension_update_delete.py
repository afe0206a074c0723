"""`az k8s-extension update` and `delete` in-process, with ARM answered by `responses`."""
import json

import pytest
import responses

ARM = "https://management.azure.com"
SUB = "00000000-0000-0000-0000-000000000000"
API = "api-version=2025-03-01"
CC = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/c1".format(SUB)
FLEET = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.ContainerService/fleets/hub".format(SUB)
EXT = "/providers/Microsoft.KubernetesConfiguration/extensions/"
UPDATE = "k8s-extension update -g rg1 -c c1 -t connectedClusters -n flux "
DELETE = "k8s-extension delete -g rg1 -c c1 -t connectedClusters -n flux "
PROMPT = "Updating properties in --configuration-settings or --configuration-protected-settings may lead to"
NO_TTY = "Unable to prompt for confirmation as no tty available. Use --yes."
FORCE_DELETE_BODY = {"version": "1.1", "content": {"headers": []}, "statusCode": 200, "reasonPhrase": "OK",
                     "headers": [], "trailingHeaders": [], "requestMessage": None, "isSuccessStatusCode": True}


def resource(cluster=CC, name="flux", ext_type="microsoft.flux", state="Succeeded", **props):
    properties = {"extensionType": ext_type, "autoUpgradeMinorVersion": True, "releaseTrain": "Stable",
                  "version": None, "provisioningState": state, "configurationSettings": {},
                  "configurationProtectedSettings": {}, "statuses": [], "isSystemExtension": False}
    properties.update(props)
    return {"id": cluster + EXT + name, "name": name, "type": "Microsoft.KubernetesConfiguration/extensions",
            "properties": properties}


def url(cluster=CC, name="flux", query=API):
    return ARM + cluster + EXT + name + "?" + query


def op_url(cluster=CC, name="flux"):
    return ARM + cluster + EXT + name + "/operations/op1?" + API


def add_statuses(mock, address, statuses):
    answers = list(statuses)

    def answer(_request):
        status = answers.pop(0) if len(answers) > 1 else answers[0]
        body = {"id": address.split("?")[0][len(ARM):], "name": "op1", "status": status}
        if status == "Failed":
            body["error"] = {"code": "ExtensionOperationFailed", "message": "helm uninstall failed"}
        return 200, {}, json.dumps(body)

    mock.add_callback(responses.GET, address, callback=answer)


def requests_of(mock):
    return [(c.request.method, c.request.url) for c in mock.calls if c.request.url.startswith(ARM)]


def not_found(name="flux"):
    return {"error": {"code": "ResourceNotFound", "message": "Extension instance with name '{}' not found.".format(
        name), "additionalInfo": []}}


@pytest.fixture
def no_tty(monkeypatch):
    """Run as if stdin were not a terminal, even when pytest runs with -s in one."""
    import knack.prompting

    def verify():
        raise knack.prompting.NoTTYException()
    monkeypatch.setattr(knack.prompting, "verify_is_a_tty", verify)


@pytest.fixture
def answer_prompt(monkeypatch):
    """Pretend stdin is a terminal and answer az's y/n prompt; returns the prompts shown."""
    import knack.prompting
    shown = []

    def setup(answer):
        monkeypatch.setattr(knack.prompting, "verify_is_a_tty", lambda: None)
        monkeypatch.setattr(knack.prompting, "_input", lambda msg: shown.append(msg) or answer)
        return shown
    return setup


# -- update ------------------------------------------------------------------------------------
def test_update_patches_then_polls_and_prints(arm, run_az):
    arm.add(responses.PATCH, url(), json=resource(state="Updating"), status=202,
            headers={"Azure-AsyncOperation": op_url()})
    add_statuses(arm, op_url(), ["Updating", "Succeeded"])
    arm.add(responses.GET, url(), json=resource(configurationSettings={"helm-controller.detectDrift": "true"}))

    res = run_az(UPDATE + "--config helm-controller.detectDrift=true --yes")

    assert res.exit_code == 0, res.stderr
    # One GET before the PATCH, as the original: the existing extension's type picks its handler.
    assert requests_of(arm) == [("GET", url()), ("PATCH", url()), ("GET", op_url()), ("GET", op_url()),
                                ("GET", url())]
    assert json.loads(res.writes[0].body) == {"properties": {
        "configurationSettings": {"helm-controller.detectDrift": "true"}, "configurationProtectedSettings": {}}}
    out = json.loads(res.stdout)
    assert out["configurationSettings"] == {"helm-controller.detectDrift": "true"}
    assert out["provisioningState"] == "Succeeded" and out["resourceGroup"] == "rg1"


def test_update_without_settings_does_not_prompt_and_sends_empty_maps(arm, run_az):
    arm.add(responses.GET, url(), json=resource())
    arm.add(responses.PATCH, url(), json=resource(), status=200)
    res = run_az(UPDATE + "--auto-upgrade-mode patch --release-train preview")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.writes[0].body) == {"properties": {
        "autoUpgradeMode": "patch", "releaseTrain": "preview", "configurationSettings": {},
        "configurationProtectedSettings": {}}}


def test_update_file_then_options_override(arm, run_az, tmp_path):
    settings = tmp_path / "s.json"
    settings.write_text('{"source-controller.log-level": "info", "helm-controller.log-level": "info"}')
    arm.add(responses.GET, url(), json=resource())
    arm.add(responses.PATCH, url(), json=resource(), status=200)
    res = run_az(UPDATE + "--config-file {} --config source-controller.log-level=error -y".format(settings))
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.writes[0].body)["properties"]["configurationSettings"] == {
        "source-controller.log-level": "error", "helm-controller.log-level": "info"}


def test_update_with_settings_and_no_tty_needs_yes(arm, run_az, no_tty):  # pylint: disable=unused-argument
    arm.add(responses.GET, url(), json=resource())
    res = run_az(UPDATE + "--config a=b")
    assert res.exit_code == 1
    assert NO_TTY in res.stderr
    assert [method for method, _ in requests_of(arm)] == ["GET"]     # the type is read (checks first), nothing written


def test_update_checks_flux_settings_before_asking(arm, run_az, no_tty):  # pylint: disable=unused-argument
    arm.add(responses.GET, url(), json=resource())
    res = run_az(UPDATE + "--config source-controller.log-level=verbose")
    assert res.exit_code == 1
    assert "--config" in res.stderr and "log-level" in res.stderr
    assert NO_TTY not in res.stderr                                  # the mistake comes before the question
    assert [method for method, _ in requests_of(arm)] == ["GET"]


def test_update_prompt_answered_no_cancels(arm, run_az, answer_prompt):
    shown = answer_prompt("n")
    arm.add(responses.GET, url(), json=resource())
    res = run_az(UPDATE + "--config-protected token=abc")
    assert res.exit_code == 1
    assert "Operation cancelled." in res.stderr
    assert len(shown) == 1 and shown[0].startswith(PROMPT) and shown[0].endswith("Do you wish to proceed? (y/n): ")
    assert [method for method, _ in requests_of(arm)] == ["GET"]


def test_update_prompt_answered_yes_patches(arm, run_az, answer_prompt):
    answer_prompt("y")
    arm.add(responses.GET, url(), json=resource())
    arm.add(responses.PATCH, url(), json=resource(configurationProtectedSettings={"token": ""}), status=200)
    res = run_az(UPDATE + "--config-protected token=T0KEN")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.writes[0].body)["properties"]["configurationProtectedSettings"] == {"token": "T0KEN"}
    assert "T0KEN" not in res.stdout + res.stderr


def test_update_of_missing_extension_is_not_found(arm, run_az):
    arm.add(responses.GET, url(), status=404, json=not_found())
    res = run_az(UPDATE + "--release-train stable")
    assert res.exit_code == 3
    assert "Extension 'flux' was not found on cluster Microsoft.Kubernetes/connectedClusters/c1" in res.stderr
    assert "Traceback" not in res.stderr
    assert res.writes == []


def test_update_on_fleet_checks_the_existing_type_first(arm, run_az):
    arm.add(responses.GET, url(FLEET), json=resource(FLEET, ext_type="microsoft.dapr"))
    res = run_az("k8s-extension update -g rg1 -c hub -t fleets -n flux --release-train stable")
    assert res.exit_code == 1
    assert "Extension type 'microsoft.dapr' is not supported for cluster type 'fleets'" in res.stderr
    assert res.writes == []

    arm.replace(responses.GET, url(FLEET), json=resource(FLEET, ext_type="Microsoft.Flux"))
    arm.add(responses.PATCH, url(FLEET), json=resource(FLEET), status=200)
    res = run_az("k8s-extension update -g rg1 -c hub -t fleets -n flux --release-train stable")
    assert res.exit_code == 0, res.stderr
    assert [w.method for w in res.writes] == ["PATCH"]


@pytest.mark.parametrize("extra, message", [
    ("--auto-upgrade-mode none --auto-upgrade true",
     "--auto-upgrade-mode and --auto-upgrade-minor-version cannot be used together"),
    ("--version 1.2.0 --auto-upgrade-mode compatible", "use --auto-upgrade-mode none instead"),
    ("--version 1.2.0 --auto-upgrade", "replace --auto-upgrade-minor-version true with --auto-upgrade-mode none"),
    ("--config nokey -y", "'nokey' given to --config is not of the form key=value"),
    ("--config-protected-file {missing} -y", "--config-protected-file '{missing}': no such file"),
    ("--config-file {array} -y", "must hold a JSON object"),
])
def test_update_validation_errors_before_any_request(arm, run_az, tmp_path, extra, message):
    array = tmp_path / "a.json"
    array.write_text("[1, 2]")
    names = {"missing": str(tmp_path / "missing.json"), "array": str(array)}
    res = run_az(UPDATE + extra.format(**names))
    assert res.exit_code == 1
    assert message.format(**names) in res.stderr
    assert requests_of(arm) == []


def test_update_does_not_accept_create_only_options(arm, run_az):
    res = run_az(UPDATE + "--scope cluster")
    assert res.exit_code == 2
    assert "unrecognized arguments: --scope cluster" in res.stderr
    assert requests_of(arm) == []


# -- delete ------------------------------------------------------------------------------------
def test_delete_gets_then_deletes_and_waits(arm, run_az):
    arm.add(responses.GET, url(), json=resource())
    arm.add(responses.DELETE, url(query=API + "&forceDelete=false"), status=202,
            headers={"Azure-AsyncOperation": op_url()})
    add_statuses(arm, op_url(), ["Deleting", "Succeeded"])
    res = run_az(DELETE + "--yes")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert requests_of(arm) == [("GET", url()), ("DELETE", url(query=API + "&forceDelete=false")),
                                ("GET", op_url()), ("GET", op_url())]


def test_recorded_force_delete(arm, run_az):
    arm.add(responses.GET, url(), json=resource(state="Failed"))
    arm.add(responses.DELETE, url(query=API + "&forceDelete=true"), json=FORCE_DELETE_BODY)
    res = run_az(DELETE + "--force -y")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert [w.url for w in res.writes] == [url(query=API + "&forceDelete=true")]


def test_delete_no_wait_does_not_poll(arm, run_az):
    arm.add(responses.GET, url(), json=resource())
    arm.add(responses.DELETE, url(query=API + "&forceDelete=false"), status=202,
            headers={"Azure-AsyncOperation": op_url()})
    res = run_az(DELETE + "--no-wait --yes")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert requests_of(arm) == [("GET", url()), ("DELETE", url(query=API + "&forceDelete=false"))]


def test_delete_of_missing_extension_warns_and_succeeds(arm, run_az, no_tty):  # pylint: disable=unused-argument
    arm.add(responses.GET, url(), status=404, json=not_found())
    res = run_az(DELETE)
    assert res.exit_code == 0
    assert "WARNING: No extension with name 'flux' found on cluster 'c1', so nothing to delete" in res.stderr
    assert res.writes == [] and res.stdout == ""


def test_delete_reports_other_errors_instead_of_nothing_to_delete(arm, run_az):
    arm.add(responses.GET, url(), status=403, json={"error": {
        "code": "AuthorizationFailed", "message": "The client does not have authorization to perform action."}})
    res = run_az(DELETE + "--yes")
    assert res.exit_code == 1
    assert "(AuthorizationFailed) The client does not have authorization" in res.stderr
    assert "nothing to delete" not in res.stderr
    assert res.writes == []


def test_delete_without_yes_and_no_tty(arm, run_az, no_tty):  # pylint: disable=unused-argument
    arm.add(responses.GET, url(), json=resource())
    res = run_az(DELETE)
    assert res.exit_code == 1
    assert NO_TTY in res.stderr
    assert res.writes == []


def test_delete_prompt(arm, run_az, answer_prompt):
    shown = answer_prompt("n")
    arm.add(responses.GET, url(), json=resource())
    res = run_az(DELETE)
    assert res.exit_code == 1 and "Operation cancelled." in res.stderr
    assert shown == ["Are you sure you want to perform this operation? (y/n): "]
    assert res.writes == []


def test_failed_delete_operation(arm, run_az):
    arm.add(responses.GET, url(), json=resource())
    arm.add(responses.DELETE, url(query=API + "&forceDelete=false"), status=202,
            headers={"Azure-AsyncOperation": op_url()})
    add_statuses(arm, op_url(), ["Deleting", "Failed"])
    res = run_az(DELETE + "-y")
    assert res.exit_code == 1
    assert "(ExtensionOperationFailed) helm uninstall failed" in res.stderr
    assert "Traceback" not in res.stderr


def test_delete_on_fleet_any_type(arm, run_az):
    # As in the originals, delete does not check the type on fleets (it must be able to clean up).
    arm.add(responses.GET, url(FLEET, "cli-test-flux"), json=resource(FLEET, "cli-test-flux", state="Failed"))
    arm.add(responses.DELETE, url(FLEET, "cli-test-flux", API + "&forceDelete=true"), json=FORCE_DELETE_BODY)
    res = run_az("k8s-extension delete -g rg1 -n cli-test-flux -c hub --cluster-type fleets --force --no-wait -y")
    assert res.exit_code == 0, res.stderr
    assert [w.url for w in res.writes] == [url(FLEET, "cli-test-flux", API + "&forceDelete=true")]
