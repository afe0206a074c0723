"""`flux status` (text, -o json, -o table, --all, --watch), `flux suspend|resume`, `flux list -o table`."""
import json

import responses

from tests.unit.test_flux_status import tutorial_config

from .conftest import lro
from .fakes import add_json, async_headers, flux_resource, json_body, op_url, url

BASE = "k8s-configuration flux {} -g rg1 -c c1 -t connectedClusters -n cfg"


def _get(arm, *configs):
    """Answer the configuration GET with each config in turn (the last one repeats)."""
    answers = list(configs)

    def callback(request):  # pylint: disable=unused-argument
        body = answers.pop(0) if len(answers) > 1 else answers[0]
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    arm.add_callback(responses.GET, url("fluxConfigurations", "cfg"), callback=callback)


def test_status_prints_a_readable_view_without_colour_when_piped(run_az, arm):
    _get(arm, tutorial_config())
    res = run_az(BASE.format("status"))
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("Flux configuration cfg: Non-Compliant")
    assert "\033[" not in res.stdout
    assert "HelmRelease cluster-config/podinfo" in res.stdout
    assert "bitnami" not in res.stdout                      # compliant objects only with --all
    assert res.stdout.index("infra") < res.stdout.index("apps ")
    assert run_az(BASE.format("status") + " --all").stdout.count("bitnami") == 1


def test_status_json_is_the_documented_structure(run_az, arm):
    _get(arm, tutorial_config())
    res = run_az(BASE.format("status") + " -o json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["source"]["revision"] == "main@sha1:0ba6f0d3" and data["source"]["ready"] is True
    assert [k["name"] for k in data["kustomizations"]] == ["infra", "apps"]
    assert set(data["kustomizations"][1]) >= {"name", "ready", "complianceState", "revision", "message", "objects"}
    assert [o["name"] for o in data["kustomizations"][1]["objects"]] == ["podinfo", "cluster-config-podinfo"]


def test_status_query_and_table(run_az, arm):
    _get(arm, tutorial_config())
    res = run_az(BASE.format("status") + " --query kustomizations[].complianceState -o tsv")
    assert res.stdout.split() == ["Compliant", "Non-Compliant"]
    table = run_az(BASE.format("status") + " -o table").stdout.splitlines()
    assert table[0].split()[:5] == ["Name", "Kind", "Ready", "ComplianceState", "Revision"]
    assert table[2].split()[:2] == ["source", "GitRepository"]
    assert table[4].split()[:4] == ["apps", "Kustomization", "Not", "ready"]


def test_status_of_a_missing_configuration_is_not_found(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             {"error": {"code": "ResourceNotFound", "message": "Flux configuration 'cfg' not found."}}, status=404)
    res = run_az(BASE.format("status"))
    assert res.exit_code == 3
    assert "cfg" in res.stderr and "Traceback" not in res.stderr


def test_timeout_without_watch_is_rejected_before_any_request(run_az, arm):
    res = run_az(BASE.format("status") + " --timeout 1m")
    assert res.exit_code != 0
    assert "--timeout goes with --watch" in res.stderr
    assert len(arm.calls) == 0


def _controlled_time(monkeypatch):
    from azext_fluxlite.flux import status_custom
    from tests.fakeclock import FakeClock
    fake = FakeClock(1000.0)
    monkeypatch.setattr(status_custom, "clock", fake)
    monkeypatch.setattr(status_custom, "sleep", fake.sleep)
    return fake


def test_watch_prints_changes_with_timestamps_and_exits_0_when_it_ends_compliant(run_az, arm, monkeypatch):
    _controlled_time(monkeypatch)
    _get(arm, tutorial_config(), tutorial_config(), tutorial_config(apps_ok=True))
    res = run_az(BASE.format("status") + " --watch --timeout 30s")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    stamp = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "
    import re
    assert re.match(stamp + "Flux configuration cfg: Non-Compliant", lines[0])
    changed = [line for line in lines if re.match(stamp, line)][1:]
    assert any(line.endswith("configuration cfg: Non-Compliant -> Compliant") for line in changed)
    assert sum("configuration cfg:" in line for line in changed) == 1        # said once, not at every poll


def test_watch_that_ends_non_compliant_exits_non_zero(run_az, arm, monkeypatch):
    _controlled_time(monkeypatch)
    _get(arm, tutorial_config())
    res = run_az(BASE.format("status") + " --watch --timeout 20s")
    assert res.exit_code == 1
    assert "ended Non-Compliant" in res.stderr
    gets = [c for c in arm.calls if c.request.method == "GET"]
    assert len(gets) > 3                                     # it kept polling until the timeout


def test_watch_with_json_output_keeps_stdout_for_the_data(run_az, arm, monkeypatch):
    _controlled_time(monkeypatch)
    _get(arm, tutorial_config(), tutorial_config(apps_ok=True))
    res = run_az(BASE.format("status") + " --watch --timeout 5 -o json")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["complianceState"] == "Compliant"
    assert "Non-Compliant -> Compliant" in res.stderr


def _patch(arm):
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PATCH, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=202, headers=async_headers(op))
    lro(arm, op, ["Updating", "Succeeded"])


def test_suspend_and_resume_patch_suspend_without_a_prompt(run_az, arm):
    _patch(arm)
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    res = run_az(BASE.format("suspend"))
    assert res.exit_code == 0, res.stderr
    assert [(w.method, json_body(w)) for w in res.writes] == [("PATCH", {"properties": {"suspend": True}})]
    assert res.result["name"] == "cfg"
    res = run_az(BASE.format("resume") + " --no-wait")
    assert res.exit_code == 0, res.stderr
    assert [(w.method, json_body(w)) for w in res.writes] == [("PATCH", {"properties": {"suspend": False}})]


def test_list_table_has_compliance_and_source_revision(run_az, arm):
    item = flux_resource()
    item["properties"]["sourceSyncedCommitId"] = "main@sha1:0ba6f0d3"
    add_json(arm, responses.GET, url("fluxConfigurations"), {"value": [item]})
    lines = run_az("k8s-configuration flux list -g rg1 -c c1 -t connectedClusters -o table").stdout.splitlines()
    assert lines[0].split() == ["Namespace", "Name", "Scope", "ProvisioningState", "ComplianceState",
                                "SourceRevision"]
    assert lines[2].split() == ["default", "cfg", "cluster", "Succeeded", "Compliant", "main@sha1:0ba6f0d3"]


def test_colour_only_when_the_stream_is_a_terminal_and_az_allows_colour():
    from types import SimpleNamespace
    from azext_fluxlite.flux.status_custom import _colour

    class Terminal:
        def isatty(self):
            return True

    class Pipe:
        def isatty(self):
            return False

    def cmd(enabled):
        return SimpleNamespace(cli_ctx=SimpleNamespace(enable_color=enabled))

    assert _colour(cmd(True), Terminal()) is True
    assert _colour(cmd(False), Terminal()) is False          # core.no_color, or az's own output not a terminal
    assert _colour(cmd(True), Pipe()) is False
