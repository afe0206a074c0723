"""fluxConfigurations over HTTPS: LROs, defaults, merge-patch, validation, paging, secrets."""
import glob

from .emulator_harness import ARC, KC, SUB, flux_body, flux_path


def test_create_is_a_live_like_long_running_operation(emulator):
    res = emulator.put(flux_path(), flux_body())
    assert res.status_code == 201
    assert res.json()["properties"]["provisioningState"] == "Creating"
    async_url = res.headers["Azure-AsyncOperation"]
    assert async_url.startswith(emulator.base + ARC + KC + "/fluxConfigurations/cluster-config/operations/")
    assert async_url.endswith("?api-version=2025-04-01")
    assert res.headers["Location"].startswith("https://")
    assert "Retry-After" not in res.headers
    first = emulator.get(async_url).json()
    assert first["status"] == "Creating" and set(first) == {"id", "name", "status"}
    assert emulator.wait(res)["status"] == "Succeeded"
    props = emulator.get(flux_path()).json()["properties"]
    assert props["provisioningState"] == "Succeeded"


def test_server_side_defaults(emulator):
    res = emulator.put(flux_path("defaults"), {"properties": {
        "sourceKind": "GitRepository", "gitRepository": {"url": "https://example.invalid/x",
                                                         "repositoryRef": {"branch": "main"}},
        "kustomizations": {"k1": {"path": "./a"}}}})
    body = res.json()
    assert body["type"] == "Microsoft.KubernetesConfiguration/fluxConfigurations" and body["name"] == "defaults"
    props = body["properties"]
    assert props["scope"] == "cluster" and props["namespace"] == "default" and props["suspend"] is False
    assert props["gitRepository"]["timeoutInSeconds"] == 600 and props["gitRepository"]["syncIntervalInSeconds"] == 600
    # Unset fields are absent, not null (the official schema has no nulls for them).
    assert props["gitRepository"]["repositoryRef"] == {"branch": "main"}
    assert props["kustomizations"]["k1"] == {
        "name": "k1", "path": "./a", "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
        "prune": False, "force": False, "wait": True}
    # Blocks the configuration does not use are left out, not null.
    assert not {"bucket", "azureBlob", "ociRepository", "waitForReconciliation"} & set(props)
    assert props["complianceState"] == "Pending" and props["configurationProtectedSettings"] == {}
    assert body["systemData"]["createdAt"].endswith("+00:00")


def test_put_on_an_existing_configuration_answers_200_updating(emulator):
    emulator.wait(emulator.put(flux_path(), flux_body()))
    res = emulator.put(flux_path(), flux_body(branch="release"))
    assert res.status_code == 200
    assert res.json()["properties"]["provisioningState"] == "Updating"
    assert "Azure-AsyncOperation" in res.headers
    emulator.wait(res)
    props = emulator.get(flux_path()).json()["properties"]
    assert props["gitRepository"]["repositoryRef"]["branch"] == "release"


def test_patch_merges_and_null_removes_a_kustomization(emulator):
    emulator.wait(emulator.put(flux_path(), flux_body()))
    res = emulator.patch(flux_path(), {"properties": {
        "suspend": True,
        "kustomizations": {"apps": None, "infra": {"path": "./infra2", "prune": None},
                           "extra": {"path": "./extra", "dependsOn": ["infra"]}}}})
    assert res.status_code == 202
    assert res.json()["properties"]["provisioningState"] == "Updating"
    assert emulator.wait(res)["status"] == "Succeeded"
    props = emulator.get(flux_path()).json()["properties"]
    assert set(props["kustomizations"]) == {"infra", "extra"}
    assert props["kustomizations"]["infra"]["path"] == "./infra2"
    assert props["kustomizations"]["infra"]["prune"] is False          # null puts the default back
    assert props["kustomizations"]["extra"]["timeoutInSeconds"] == 600
    assert props["suspend"] is True
    assert props["gitRepository"]["repositoryRef"]["branch"] == "main"  # untouched fields are kept


def test_patch_that_changes_nothing_answers_200_at_once(emulator):
    emulator.wait(emulator.put(flux_path(), flux_body()))
    res = emulator.patch(flux_path(), {"properties": {"gitRepository": {}}})
    assert res.status_code == 200
    assert "Azure-AsyncOperation" not in res.headers
    assert res.json()["properties"]["provisioningState"] == "Succeeded"


def test_validation_errors_are_arm_errors(emulator):
    def error(res, status=400):
        assert res.status_code == status, res.text
        assert "Retry-After" not in res.headers
        return res.json()["error"]

    mismatch = error(emulator.put(flux_path("bad"), {"properties": {"sourceKind": "GitRepository",
                                                                     "bucket": {"url": "https://s3"}}}))
    assert mismatch == {"code": "ValidationFailed", "message": (
        "Invalid source kind match. Config with specified source kind 'GitRepository' must contain corresponding "
        "body specified in the properties.")}
    unknown = error(emulator.put(flux_path("bad"), flux_body(kustomizations={
        "apps": {"path": "./apps", "dependsOn": ["infar"]}})))
    assert unknown["code"] == "ValidationFailed" and "'infar'" in unknown["message"]
    cycle = error(emulator.put(flux_path("bad"), flux_body(kustomizations={
        "a": {"path": "./a", "dependsOn": ["b"]}, "b": {"path": "./b", "dependsOn": ["a"]}})))
    assert "cycle" in cycle["message"]
    assert error(emulator.put(flux_path("bad"), flux_body(scope="tenant")))["code"] == "ValidationFailed"
    assert error(emulator.put(flux_path("bad"), flux_body(namespace="Not_Valid")))["code"] == "ValidationFailed"
    assert error(emulator.put(flux_path("bad"), flux_body(kustomizations={"k": {"prune": "yes"}})))["code"] == \
        "InvalidRequestContent"
    res = emulator.call("PUT", flux_path("bad"), data=b"{not json", headers={"Content-Type": "application/json"})
    assert error(res)["code"] == "InvalidRequestContent"
    assert emulator.get(flux_path("bad")).status_code == 404            # nothing was stored


def test_create_only_scope_and_namespace(emulator):
    emulator.wait(emulator.put(flux_path(), flux_body()))
    res = emulator.put(flux_path(), flux_body(namespace="other"))
    assert res.status_code == 400 and res.json()["error"]["code"] == "ValidationFailed"
    assert "namespace" in res.json()["error"]["message"]
    res = emulator.put(flux_path(), flux_body(scope="namespace"))
    assert res.status_code == 400 and "scope" in res.json()["error"]["message"]
    res = emulator.patch(flux_path(), {"properties": {"namespace": "other"}})
    assert res.status_code == 400


def test_a_write_during_a_running_operation_is_a_409(make_emulator):
    emu = make_emulator(operation_seconds=30)
    emu.put(flux_path(), flux_body())
    res = emu.patch(flux_path(), {"properties": {"suspend": True}})
    assert res.status_code == 409
    assert res.json()["error"]["code"] == "OperationAlreadyInProgress"
    assert "Retry-After" not in res.headers
    assert emu.delete(flux_path()).status_code == 409
    forced = emu.delete(flux_path(), params={"forceDelete": "true"})     # a force delete waits its turn too
    assert forced.status_code == 409 and forced.json()["error"]["code"] == "OperationAlreadyInProgress"
    assert emu.put(flux_path(), flux_body(branch="other")).status_code == 409
    assert emu.get(flux_path()).json()["properties"]["provisioningState"] == "Creating"
    emu.advance(30)
    assert emu.delete(flux_path(), params={"forceDelete": "true"}).status_code == 200
    assert emu.get(flux_path()).status_code == 404


def test_delete_flow(emulator):
    assert emulator.delete(flux_path("absent")).status_code == 204
    emulator.wait(emulator.put(flux_path(), flux_body()))
    res = emulator.delete(flux_path(), params={"forceDelete": "false"})
    assert res.status_code == 202 and res.content == b""
    assert emulator.get(flux_path()).json()["properties"]["provisioningState"] == "Deleting"
    assert emulator.wait(res)["status"] == "Succeeded"
    missing = emulator.get(flux_path())
    assert missing.status_code == 404
    assert missing.json()["error"] == {"code": "ResourceNotFound",
                                       "message": "Flux configuration with name 'cluster-config' not found.",
                                       "additionalInfo": []}
    assert emulator.get(res.headers["Azure-AsyncOperation"]).json()["status"] == "Succeeded"


def test_missing_cluster_is_an_arm_404(emulator):
    path = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/nope{}" \
           "/fluxConfigurations/c1".format(SUB, KC)
    for res in (emulator.get(path), emulator.put(path, flux_body())):
        assert res.status_code == 404
        assert res.json()["error"]["code"] == "ResourceNotFound"
        assert res.json()["error"]["message"] == (
            "The Resource 'Microsoft.Kubernetes/connectedClusters/nope' under resource group 'rg1' was not found. "
            "For more details please go to https://aka.ms/ARMResourceNotFoundFix")


def test_paths_match_case_insensitively_and_ids_keep_the_callers_casing(emulator):
    shouty = flux_path("cluster-config").replace("resourceGroups", "RESOURCEGROUPS").replace(
        "Microsoft.Kubernetes/connectedClusters", "microsoft.kubernetes/ConnectedClusters").replace(
        "fluxConfigurations", "FluxConfigurations")
    res = emulator.put(shouty, flux_body())
    assert res.status_code == 201
    # Values (provider, type, names) keep the caller's spelling; fixed keywords are canonical.
    expected = flux_path("cluster-config").replace("Microsoft.Kubernetes/connectedClusters",
                                                   "microsoft.kubernetes/ConnectedClusters")
    assert res.json()["id"] == expected
    got = emulator.get(flux_path("Cluster-Config"))
    assert got.status_code == 200 and got.json()["id"] == expected and got.json()["name"] == "cluster-config"


def test_list_pages_with_absolute_next_links(make_emulator):
    emu = make_emulator(page_size=2, operation_seconds=0)
    for i in range(5):
        emu.put(flux_path("cfg{}".format(i)), flux_body())
    url, names, pages = ARC + KC + "/fluxConfigurations", [], 0
    res = emu.get(url)
    while True:
        body = res.json()
        pages += 1
        names += [item["name"] for item in body["value"]]
        if "nextLink" not in body:          # the last page has none (not a null one)
            break
        assert body["nextLink"].startswith(emu.base + "/") and "api-version=" in body["nextLink"]
        res = emu.get(body["nextLink"])
    assert names == ["cfg0", "cfg1", "cfg2", "cfg3", "cfg4"] and pages == 3
    empty = emu.get(ARC.replace("flux-demo-arc", "flux-demo-arc") + KC + "/fluxConfigurations",
                    params={"$skipToken": "10"}).json()
    assert empty == {"value": []}


def test_protected_settings_are_never_returned_stored_or_logged(emulator):
    secret = "c3VwZXItc2VjcmV0LXNzaC1rZXk="
    blob_secret = "account-key-value-1234567890"
    emulator.wait(emulator.put(flux_path(), flux_body(configurationProtectedSettings={"sshPrivateKey": secret})))
    emulator.wait(emulator.put(flux_path("blob"), {"properties": {
        "sourceKind": "AzureBlob", "azureBlob": {"url": "https://acct.blob.core.windows.net", "containerName": "c",
                                                 "accountKey": blob_secret}}}))
    assert emulator.get(flux_path()).json()["properties"]["configurationProtectedSettings"] == {}
    assert "accountKey" not in emulator.get(flux_path("blob")).json()["properties"]["azureBlob"]
    emulator.patch(flux_path(), {"properties": {"configurationProtectedSettings": {"httpsKey": secret}}})
    log = emulator.control("GET", "requests").text
    assert secret not in log and blob_secret not in log
    assert "<redacted>" in log
    for path in glob.glob(emulator.data_dir + "/state.sqlite*"):
        with open(path, "rb") as f:
            data = f.read()
        assert secret.encode() not in data and blob_secret.encode() not in data, path


def test_retry_after_is_configurable(make_emulator):
    emu = make_emulator(retry_after=1)
    res = emu.put(flux_path(), flux_body())
    assert res.headers["Retry-After"] == "1"
    running = emu.get(res.headers["Azure-AsyncOperation"])
    assert running.json()["status"] == "Creating" and running.headers["Retry-After"] == "1"
    emu.wait(res)
    done = emu.get(res.headers["Azure-AsyncOperation"])
    assert "Retry-After" not in done.headers


def test_injected_fault_makes_the_next_operation_fail(emulator):
    emulator.wait(emulator.put(flux_path(), flux_body()))
    emulator.control("POST", "faults", json={"match": "fluxConfigurations/cluster-config", "method": "PATCH",
                                             "code": "ReconcileFailed", "message": "kustomize build failed"})
    res = emulator.patch(flux_path(), {"properties": {"suspend": True}})
    assert res.status_code == 202
    status = emulator.wait(res)
    assert status["status"] == "Failed"
    assert status["error"] == {"code": "ReconcileFailed", "message": "kustomize build failed"}
    props = emulator.get(flux_path()).json()["properties"]
    assert props["provisioningState"] == "Failed" and props["errorMessage"] == "kustomize build failed"
    # The fault was used up: the next write succeeds.
    assert emulator.wait(emulator.patch(flux_path(), {"properties": {"suspend": False}}))["status"] == "Succeeded"


def test_fault_with_an_http_status_is_answered_at_once(emulator):
    emulator.control("POST", "faults", json={"match": "/fluxConfigurations/", "method": "PUT", "status": 503,
                                             "code": "ServiceUnavailable", "message": "try later"})
    res = emulator.put(flux_path(), flux_body())
    assert res.status_code == 503 and res.json()["error"]["code"] == "ServiceUnavailable"
    assert emulator.put(flux_path(), flux_body()).status_code == 201


def test_request_log_records_arm_calls(emulator):
    emulator.control("DELETE", "requests")
    emulator.get(flux_path())
    entries = emulator.control("GET", "requests", params={"category": "arm"}).json()["value"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [("GET", flux_path(), 404)]
    assert entries[0]["query"] == "api-version=2025-04-01"


def test_operation_status_of_another_resource_is_404(emulator):
    res = emulator.put(flux_path("one"), flux_body())
    op_id = res.headers["Azure-AsyncOperation"].split("/operations/")[1].split("?")[0]
    other = emulator.get(flux_path("two") + "/operations/" + op_id)
    assert other.status_code == 404
    assert emulator.get(flux_path("one") + "/operations/" + op_id).status_code == 200


def test_location_header_polls_like_arm_operation_results(make_emulator):
    emu = make_emulator(operation_seconds=30)
    res = emu.put(flux_path(), flux_body())
    location = res.headers["Location"]
    assert "/operationResults/" in location
    running = emu.get(location)
    assert running.status_code == 202 and running.headers["Location"].startswith(emu.base)
    emu.advance(29.5)
    assert emu.get(location).status_code == 202          # still running half a second before its end
    emu.advance(0.5)
    done = emu.get(location)
    assert done.status_code == 200 and done.json()["properties"]["provisioningState"] == "Succeeded"
    deleted = emu.delete(flux_path())
    emu.advance()
    assert emu.get(deleted.headers["Location"]).status_code == 204
    emu.control("POST", "faults", json={"match": "/fluxConfigurations/", "method": "PUT", "code": "Boom",
                                        "message": "it broke"})
    failed = emu.put(flux_path(), flux_body())
    emu.advance()
    answer = emu.get(failed.headers["Location"])
    assert answer.status_code == 400 and answer.json()["error"] == {"code": "Boom", "message": "it broke"}


def test_answers_do_not_stall_on_delayed_acks(emulator, monkeypatch):
    """Headers and body are two writes: without TCP_NODELAY every answer waited ~40 ms for an ACK.
    Checked on the server's side of each connection, not by timing it."""
    import socket
    from azext_fluxlite.emulator import server
    seen = []
    original = server._Handler.setup

    def setup(handler):
        original(handler)
        seen.append(handler.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    monkeypatch.setattr(server._Handler, "setup", setup)
    emulator.session.close()            # new connections, served by the patched handler
    emulator.get(flux_path())
    assert seen and all(seen), seen
