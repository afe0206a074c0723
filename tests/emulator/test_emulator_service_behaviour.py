"""Answers like the service's (issue 9): api-version errors, systemData, the microsoft.flux extension as
the precondition of reconciling, protected settings never echoed."""
import glob

import pytest

from azext_fluxlite.emulator.auth import SYSTEM_IDENTITY_CLIENT_ID
from .emulator_harness import ARC, EXT_API, KC, TUTORIAL_URL, ext_path, flux_body, flux_path


@pytest.mark.parametrize("path, api", [(flux_path(), "2019-01-01"), (ARC + KC + "/fluxConfigurations", "2020-07-01"),
                                       (ext_path(), "2025-04-01"), (ARC + KC + "/extensions", "1999-01-01")])
def test_unsupported_api_versions_get_arms_400(emulator, path, api):
    res = emulator.get(path, api=api)
    assert res.status_code == 400
    error = res.json()["error"]
    assert error["code"] == "NoRegisteredProviderFound"
    assert "API version '{}'".format(api) in error["message"] and "The supported api-versions are" in error["message"]


def test_older_supported_api_versions_still_work(emulator):
    assert emulator.get(ARC + KC + "/fluxConfigurations", api="2023-05-01").status_code == 200
    assert emulator.get(ARC + KC + "/extensions", api="2022-11-01").status_code == 200
    res = emulator.put(flux_path(), flux_body(), api="2022-03-01")
    assert res.status_code == 201


def test_system_data_names_who_created_and_modified(emulator):
    res = emulator.put(flux_path(), flux_body())
    created = res.json()["systemData"]
    assert created["createdBy"] == SYSTEM_IDENTITY_CLIENT_ID and created["createdByType"] == "ManagedIdentity"
    assert created["lastModifiedBy"] == SYSTEM_IDENTITY_CLIENT_ID
    assert created["lastModifiedByType"] == "ManagedIdentity"
    assert created["createdAt"] == created["lastModifiedAt"]
    emulator.wait(res)
    emulator.advance(5)
    patched = emulator.patch(flux_path(), {"properties": {"suspend": True}}).json()["systemData"]
    assert patched["createdAt"] == created["createdAt"] and patched["lastModifiedAt"] > created["lastModifiedAt"]
    ext = emulator.put(ext_path(), {"properties": {"extensionType": "microsoft.flux"}}, api=EXT_API).json()
    assert ext["systemData"]["createdByType"] == "ManagedIdentity"
    # Unused blocks are left out, not null.
    assert "errorInfo" not in ext["properties"] and "packageUri" not in ext["properties"] and "identity" not in ext


def test_configurations_are_reconciled_only_where_the_flux_extension_runs(make_emulator, example_repo):
    emu = make_emulator(operation_seconds=30, source_map=["{}={}".format(TUTORIAL_URL, example_repo)])
    emu.wait(emu.put(flux_path(), flux_body()))
    props = emu.get(flux_path()).json()["properties"]
    assert props["provisioningState"] == "Succeeded" and props["complianceState"] == "Unknown"
    assert "microsoft.flux extension is not installed" in props["errorMessage"] and props["statuses"] == []
    # Installing: still not reconciled, and the message says so.
    install = emu.put(ext_path(), {"properties": {"extensionType": "microsoft.flux"}}, api=EXT_API)
    props = emu.get(flux_path()).json()["properties"]
    assert props["complianceState"] == "Unknown" and "not installed yet" in props["errorMessage"]
    emu.wait(install)
    props = emu.get(flux_path()).json()["properties"]
    assert props["complianceState"] == "Compliant", props["errorMessage"]
    assert props["errorMessage"] == "" and props["statuses"]
    # Removing the extension leaves the configuration unreconciled, as on a cluster.
    emu.wait(emu.delete(ext_path(), api=EXT_API))
    props = emu.get(flux_path()).json()["properties"]
    assert props["complianceState"] == "Unknown" and "not installed" in props["errorMessage"]
    listed = emu.get(ARC + KC + "/fluxConfigurations").json()["value"]
    assert [c["properties"]["complianceState"] for c in listed] == ["Unknown"]
    # Installing it again reconciles at once, without waiting for the sync interval.
    emu.install_flux()
    assert emu.get(flux_path()).json()["properties"]["complianceState"] == "Compliant"


def test_protected_values_are_never_echoed(emulator):
    flux_secret, ext_secret = "c3VwZXItc2VjcmV0LWZsdXgta2V5", "ext-protected-value-9876543210"
    body = flux_body(configurationProtectedSettings={"sshPrivateKey": flux_secret})
    answers = [emulator.put(flux_path(), body)]
    answers.append(emulator.get(answers[0].headers["Azure-AsyncOperation"]))
    answers.append(emulator.patch(flux_path(), {"properties": {"configurationProtectedSettings": {
        "httpsKey": flux_secret}}}))
    ext = emulator.put(ext_path("dapr"), {"properties": {"extensionType": "microsoft.dapr",
                                                         "configurationProtectedSettings": {"token": ext_secret}}},
                       api=EXT_API)
    answers += [ext, emulator.get(ext.headers["Azure-AsyncOperation"])]
    emulator.advance()
    answers += [emulator.get(flux_path()), emulator.get(ARC + KC + "/fluxConfigurations"),
                emulator.get(ext_path("dapr"), api=EXT_API), emulator.get(ARC + KC + "/extensions", api=EXT_API),
                emulator.control("GET", "requests")]
    for answer in answers:
        assert flux_secret not in answer.text and ext_secret not in answer.text, answer.text[:300]
    assert emulator.get(flux_path()).json()["properties"]["configurationProtectedSettings"] == {}
    for path in glob.glob(emulator.data_dir + "/state.sqlite*"):
        with open(path, "rb") as f:
            content = f.read()
        assert flux_secret.encode() not in content and ext_secret.encode() not in content


def _schema_errors(resource_type, api_version, props):
    """What the official ARM schema (shared/schemas/arm) refuses in the writable properties of an answer
    (read-only properties such as statuses are not in that schema)."""
    from tests.export_schemas import _arm_registry, _errors, arm_validator, ARM_DEFINITIONS
    document, _ = _arm_registry(api_version)
    writable = document["definitions"][ARM_DEFINITIONS[resource_type]]["properties"]
    props = {k: v for k, v in props.items() if k in writable}
    if "kustomizations" in props:       # each kustomization's `name` is read-only (the map key, echoed)
        props["kustomizations"] = {k: {f: v for f, v in spec.items() if f != "name"}
                                   for k, spec in props["kustomizations"].items()}
    return _errors(arm_validator(resource_type, api_version), props)


def test_answers_follow_the_official_schema(emulator):
    emulator.install_flux()
    bodies = [flux_body(), flux_body(kustomizations={"a": {"path": "./a"}, "b": {"path": "./b", "dependsOn": ["a"],
                                                                                  "postBuild": {"substitute": {"x": "1"}}}}),
              {"properties": {"sourceKind": "Bucket", "bucket": {"url": "https://s3.amazonaws.com", "bucketName": "b"},
                              "kustomizations": {"k": {"path": "./"}}}},
              {"properties": {"sourceKind": "OCIRepository", "ociRepository": {
                  "url": "oci://ghcr.io/org/manifests", "repositoryRef": {"tag": "v1"}},
                  "kustomizations": {"k": {"path": "./"}}}}]
    for i, body in enumerate(bodies):
        emulator.wait(emulator.put(flux_path("schema-{}".format(i)), body))
        answer = emulator.get(flux_path("schema-{}".format(i))).json()
        assert _schema_errors(answer["type"], "2025-04-01", answer["properties"]) == [], answer["properties"]
    emulator.wait(emulator.put(ext_path("dapr"), {"properties": {"extensionType": "microsoft.dapr",
                                                                 "configurationSettings": {"a": "b"}}}, api=EXT_API))
    for path in (ext_path(), ext_path("dapr")):
        answer = emulator.get(path, api=EXT_API).json()
        assert _schema_errors(answer["type"], "2025-03-01", answer["properties"]) == [], answer["properties"]
    # A no-op PATCH is still a no-op (200 at once) now that unset fields are absent.
    assert emulator.patch(flux_path("schema-1"), {"properties": {"suspend": False}}).status_code == 200
    assert emulator.patch(ext_path("dapr"), {"properties": {"releaseTrain": "Stable"}}, api=EXT_API).status_code == 200
