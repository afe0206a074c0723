"""`az k8s-extension extension-types ...`: exact requests (as recorded from the originals), output, tables."""
import json

import pytest
import responses

ARM = "https://management.azure.com"
SUB = "00000000-0000-0000-0000-000000000000"
API = "api-version=2023-05-01-preview"
C = ("/subscriptions/{}/resourceGroups/azurecli-tests/providers/Microsoft.Kubernetes/connectedClusters/arc-cluster"
     "/providers/Microsoft.KubernetesConfiguration").format(SUB)
L = "/subscriptions/{}/providers/Microsoft.KubernetesConfiguration/locations/eastus2euap".format(SUB)
BY_CLUSTER = "-g azurecli-tests -c arc-cluster --cluster-type connectedClusters"
SAMPLES = "microsoft.contoso.samples"


def ext_type(base, name=SAMPLES, cluster_scope=None, default_scope="namespace"):
    return {"id": base + "/extensionTypes/" + name, "name": name,
            "type": "Microsoft.KubernetesConfiguration/extensionTypes",
            "properties": {"extensionType": name, "description": "Extension for Testing only",
                           "isSystemExtension": False, "publisher": "Microsoft Contoso Samples",
                           "isManagedIdentityRequired": True,
                           "supportedClusterTypes": ["Connectedclusters", "Managedclusters"],
                           "supportedScopes": {"defaultScope": default_scope, "clusterScopeSettings": cluster_scope},
                           "planInfo": {"offerId": None, "planId": None, "publisherId": "Microsoft Contoso Samples"}}}


FLUX = ext_type(L, "microsoft.flux", {"allowMultipleInstances": False, "defaultReleaseNamespace": "flux-system"},
                "cluster")


def version(base, number, name=SAMPLES):
    return {"id": "{}/extensionTypes/{}/versions/{}".format(base, name, number), "name": number,
            "type": "Microsoft.KubernetesConfiguration/extensionTypes/versions",
            "properties": {"version": number, "unsupportedKubernetesVersions": {
                "connectedCluster": None, "provisionedCluster": None, "managedCluster": None, "appliances": None}}}


def urls(mock):
    return [c.request.url for c in mock.calls if c.request.url.startswith(ARM)]


# The eight commands of the originals' recorded scenario, with the exact URLs they sent.
RECORDED = [
    ("show-by-cluster " + BY_CLUSTER + " --extension-type " + SAMPLES,
     C + "/extensionTypes/" + SAMPLES + "?" + API, ext_type(C)),
    ("show-by-location -l eastus2euap --extension-type " + SAMPLES,
     L + "/extensionTypes/" + SAMPLES + "?" + API, ext_type(L)),
    ("list-by-cluster " + BY_CLUSTER, C + "/extensionTypes?" + API, {"value": [ext_type(C)], "nextLink": None}),
    ("list-by-location --location eastus2euap", L + "/extensionTypes?" + API,
     {"value": [ext_type(L), FLUX], "nextLink": None}),
    ("list-versions-by-cluster " + BY_CLUSTER + " --extension-type " + SAMPLES,
     C + "/extensionTypes/" + SAMPLES + "/versions?showLatest=false&" + API,
     {"value": [version(C, "1.5.0"), version(C, "1.4.0")], "nextLink": None}),
    ("list-versions-by-location --location eastus2euap --extension-type " + SAMPLES,
     L + "/extensionTypes/" + SAMPLES + "/versions?showLatest=false&" + API,
     {"value": [version(L, "1.5.0")], "nextLink": None}),
    ("show-version-by-cluster " + BY_CLUSTER + " --extension-type " + SAMPLES + " --version 1.1.0",
     C + "/extensionTypes/" + SAMPLES + "/versions/1.1.0?" + API, version(C, "1.1.0")),
    ("show-version-by-location --location eastus2euap --extension-type " + SAMPLES + " --version 1.1.0",
     L + "/extensionTypes/" + SAMPLES + "/versions/1.1.0?" + API, version(L, "1.1.0")),
]


@pytest.mark.parametrize("command, address, answer", RECORDED, ids=[r[0].split()[0] for r in RECORDED])
def test_recorded_requests(arm, run_az, command, address, answer):
    arm.add(responses.GET, ARM + address, json=answer)
    res = run_az("k8s-extension extension-types " + command)
    assert res.exit_code == 0, res.stderr
    assert urls(arm) == [ARM + address]
    out = json.loads(res.stdout)
    expected = answer["value"] if "value" in answer else answer
    if isinstance(expected, list):
        assert [item["name"] for item in out] == [item["name"] for item in expected]
    else:
        assert out["name"] == expected["name"] and out["properties"] == expected["properties"]
    assert "preview" in res.stderr.lower()  # the group is in preview, as in the originals


def test_location_list_filters(arm, run_az):
    address = (ARM + L + "/extensionTypes?publisherId=Microsoft&offerId=o1&planId=p1&releaseTrain=preview"
               "&clusterType=managedClusters&" + API)
    arm.add(responses.GET, address, json={"value": [], "nextLink": None})
    res = run_az("k8s-extension extension-types list-by-location -l eastus2euap --plan-publisher Microsoft "
                 "--plan-product o1 --plan-name p1 --release-train preview --cluster-type managedclusters")
    assert res.exit_code == 0, res.stderr
    assert urls(arm) == [address]


def test_version_list_filters_and_show_latest(arm, run_az):
    address = (ARM + C + "/extensionTypes/microsoft.flux/versions?releaseTrain=stable&majorVersion=1"
               "&showLatest=true&" + API)
    arm.add(responses.GET, address, json={"value": [version(C, "1.17.3", "microsoft.flux")], "nextLink": None})
    res = run_az("k8s-extension extension-types list-versions-by-cluster " + BY_CLUSTER +
                 " --extension-type microsoft.flux --release-train stable --major-version 1 --show-latest")
    assert res.exit_code == 0, res.stderr
    assert urls(arm) == [address]


def test_list_follows_next_link(arm, run_az):
    first = ARM + L + "/extensionTypes?" + API
    second = ARM + L + "/extensionTypes?" + API + "&$skipToken=2"
    arm.add(responses.GET, first, json={"value": [ext_type(L)], "nextLink": second})
    arm.add(responses.GET, second, json={"value": [FLUX], "nextLink": None})
    res = run_az("k8s-extension extension-types list-by-location -l eastus2euap")
    assert res.exit_code == 0, res.stderr
    assert [t["name"] for t in json.loads(res.stdout)] == [SAMPLES, "microsoft.flux"]


def test_types_table_reads_cluster_scope_settings_where_the_service_sends_them(arm, run_az):
    nested = ext_type(L, "microsoft.other", {"id": None, "name": None, "type": None, "properties": {
        "allowMultipleInstances": True, "defaultReleaseNamespace": "other-system"}}, "cluster")
    arm.add(responses.GET, ARM + L + "/extensionTypes?" + API,
            json={"value": [FLUX, ext_type(L), nested], "nextLink": None})
    res = run_az("k8s-extension extension-types list-by-location -l eastus2euap -o table")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["Name", "DefaultScope", "ClusterTypes", "AllowMultipleInstances",
                                "DefaultReleaseNamespace"]
    assert lines[2].split() == ["microsoft.flux", "cluster", "Connectedclusters,", "Managedclusters", "False",
                                "flux-system"]
    assert lines[3].split() == [SAMPLES, "namespace", "Connectedclusters,", "Managedclusters"]
    assert lines[4].split() == ["microsoft.other", "cluster", "Connectedclusters,", "Managedclusters", "True",
                                "other-system"]


def test_versions_table(arm, run_az):
    arm.add(responses.GET, ARM + L + "/extensionTypes/" + SAMPLES + "/versions?showLatest=false&" + API,
            json={"value": [version(L, "1.5.0"), version(L, "1.4.0")], "nextLink": None})
    res = run_az("k8s-extension extension-types list-versions-by-location -l eastus2euap --extension-type "
                 + SAMPLES + " -o table")
    assert res.exit_code == 0, res.stderr
    assert [line.strip() for line in res.stdout.splitlines()] == ["Versions", "----------", "1.5.0", "1.4.0"]


def test_show_json_is_what_the_service_sent_and_invents_no_keys(arm, run_az):
    sparse = {"id": L + "/extensionTypes/x", "name": "x", "properties": {"description": "d"}}
    arm.add(responses.GET, ARM + L + "/extensionTypes/x?" + API, json=sparse)
    res = run_az("k8s-extension extension-types show-by-location -l eastus2euap --extension-type x")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout) == {"id": L + "/extensionTypes/x", "name": "x", "properties": {"description": "d"}}


@pytest.mark.parametrize("command,address,answer", [
    ("show-by-location -l eastus2euap --extension-type microsoft.flux",
     L + "/extensionTypes/microsoft.flux?" + API, FLUX),
    ("show-by-cluster " + BY_CLUSTER + " --extension-type " + SAMPLES, C + "/extensionTypes/" + SAMPLES + "?" + API,
     ext_type(C)),
    ("show-version-by-location --location eastus2euap --extension-type " + SAMPLES + " --version 1.1.0",
     L + "/extensionTypes/" + SAMPLES + "/versions/1.1.0?" + API, version(L, "1.1.0")),
    ("show-version-by-cluster " + BY_CLUSTER + " --extension-type " + SAMPLES + " --version 1.1.0",
     C + "/extensionTypes/" + SAMPLES + "/versions/1.1.0?" + API, version(C, "1.1.0")),
])
def test_show_commands_print_the_recorded_answer_unchanged(arm, run_az, command, address, answer):
    """The originals' shape (nested `properties`, which their tables read, k8s-extension.md §6.2)."""
    arm.add(responses.GET, ARM + address, json=answer)
    res = run_az("k8s-extension extension-types " + command)
    assert res.exit_code == 0, res.stderr
    # az core (for the originals too) adds `resourceGroup` to a resource whose id has one.
    expected = dict(answer, resourceGroup="azurecli-tests") if "/resourceGroups/" in answer["id"] else answer
    assert json.loads(res.stdout) == expected


def test_show_by_location_table_of_the_recorded_flux_type(arm, run_az):
    arm.add(responses.GET, ARM + L + "/extensionTypes/microsoft.flux?" + API, json=FLUX)
    res = run_az("k8s-extension extension-types show-by-location -l eastus2euap --extension-type microsoft.flux "
                 "-o table")
    assert res.exit_code == 0, res.stderr
    header, _, row = res.stdout.splitlines()
    assert header.split() == ["Name", "DefaultScope", "ClusterTypes", "AllowMultipleInstances",
                              "DefaultReleaseNamespace"]
    assert row.split() == ["microsoft.flux", "cluster", "Connectedclusters,", "Managedclusters", "False",
                           "flux-system"]


@pytest.mark.parametrize("command", [
    "show-by-cluster -g rg -c hub -t fleets --extension-type microsoft.dapr",
    "list-versions-by-cluster -g rg -c hub -t fleets --extension-type microsoft.dapr",
    "show-version-by-cluster -g rg -c hub -t fleets --extension-type microsoft.dapr --version 1.0.0",
    "list-versions-by-location -l eastus --cluster-type fleets --extension-type microsoft.dapr",
])
def test_fleets_only_know_flux(arm, run_az, command):
    res = run_az("k8s-extension extension-types " + command)
    assert res.exit_code == 1
    assert ("Extension type 'microsoft.dapr' is not supported for cluster type 'fleets'. The supported extension "
            "type is 'microsoft.flux'.") in res.stderr
    assert urls(arm) == []


def test_fleet_flux_versions(arm, run_az):
    fleet = ("/subscriptions/{}/resourceGroups/rg/providers/Microsoft.ContainerService/fleets/hub/providers/"
             "Microsoft.KubernetesConfiguration").format(SUB)
    # The type is sent as typed (the originals only lower-case it for create).
    address = ARM + fleet + "/extensionTypes/Microsoft.Flux/versions?showLatest=false&" + API
    arm.add(responses.GET, address, json={"value": [], "nextLink": None})
    res = run_az("k8s-extension extension-types list-versions-by-cluster -g rg -c hub -t fleets "
                 "--extension-type Microsoft.Flux")
    assert res.exit_code == 0, res.stderr
    assert urls(arm) == [address]


def test_provisioned_clusters_are_not_a_choice(arm, run_az):
    res = run_az("k8s-extension extension-types list-by-cluster -g rg -c p1 -t provisionedClusters")
    assert res.exit_code == 2
    assert "provisionedClusters" in res.stderr
    assert urls(arm) == []


def test_missing_type_is_not_found(arm, run_az):
    arm.add(responses.GET, ARM + L + "/extensionTypes/microsoft.nope?" + API, status=404, json={"error": {
        "code": "ResourceNotFound", "message": "Extension type 'microsoft.nope' not found in eastus2euap."}})
    res = run_az("k8s-extension extension-types show-by-location -l eastus2euap --extension-type microsoft.nope")
    assert res.exit_code == 3
    assert "microsoft.nope" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("command, address, redirect", [
    ("show -l eastus2euap --extension-type " + SAMPLES, L + "/extensionTypes/" + SAMPLES + "?" + API,
     "show-by-location"),
    ("list " + BY_CLUSTER, C + "/extensionTypes?" + API, "list-by-cluster"),
    ("list-versions " + BY_CLUSTER + " --extension-type " + SAMPLES,
     C + "/extensionTypes/" + SAMPLES + "/versions?showLatest=false&" + API, "list-versions-by-cluster"),
])
def test_deprecated_commands_still_work(arm, run_az, command, address, redirect):
    arm.add(responses.GET, ARM + address, json={"value": [], "nextLink": None} if "list" in command else ext_type(L))
    res = run_az("k8s-extension extension-types " + command)
    assert res.exit_code == 0, res.stderr
    assert urls(arm) == [ARM + address]
    assert "has been deprecated" in res.stderr
    assert "Use 'az k8s-extension extension-types {}' instead".format(redirect) in res.stderr
