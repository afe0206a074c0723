"""The emulator's Flux v1 sourceControlConfigurations: a PUT leaves one on a cluster; list, get and delete it."""
from .emulator_harness import ARC, KC
API = "2022-03-01"


def test_a_leftover_flux_v1_configuration_can_be_set_up_listed_read_and_deleted(emulator):
    path = ARC + KC + "/sourceControlConfigurations/legacy"
    assert emulator.get(path, api=API).json()["error"]["message"] == "SourceControlConfiguration with name 'legacy' not found."
    res = emulator.put(path, {"properties": {"repositoryUrl": "git@github.com:org/legacy.git",
                                             "configurationProtectedSettings": {"sshPrivateKey": "c2VjcmV0"}}}, api=API)
    assert res.status_code == 201, res.text
    body = res.json()
    assert body["properties"]["operatorInstanceName"] == "legacy"             # the service's defaults
    assert body["properties"]["operatorScope"] == "cluster" and body["properties"]["provisioningState"] == "Succeeded"
    assert body["properties"]["configurationProtectedSettings"] == {"sshPrivateKey": ""}   # never stored
    assert emulator.get(ARC + KC + "/sourceControlConfigurations", api=API).json()["value"] == [body]
    assert emulator.get(path, api=API).json() == body
    assert emulator.delete(path, api=API).status_code == 200
    assert emulator.delete(path, api=API).status_code == 204
    assert emulator.get(ARC + KC + "/sourceControlConfigurations", api=API).json() == {"value": []}


def test_a_put_without_a_repository_url_is_rejected(emulator):
    res = emulator.put(ARC + KC + "/sourceControlConfigurations/bad", {"properties": {}}, api=API)
    assert res.status_code == 400 and "repositoryUrl" in res.json()["error"]["message"]
