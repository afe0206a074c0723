"""Canned ARM resources and LRO answers for command tests."""
import json

import responses

from .conftest import ARM, config_path

FLUX_API = "api-version=2025-04-01"
EXT_API = "api-version=2025-03-01"


def flux_resource(name="cfg", provisioning="Succeeded", compliance="Compliant", kustomizations=None,
                  source_kind="GitRepository", statuses=None, **cluster):
    path = config_path("fluxConfigurations", name, **cluster)
    return {
        "id": path, "name": name, "type": "Microsoft.KubernetesConfiguration/fluxConfigurations",
        "systemData": {"createdAt": "2026-11-21T10:00:00.1234567+00:00"},
        "properties": {
            "scope": "cluster", "namespace": "default", "sourceKind": source_kind, "suspend": False,
            "gitRepository": {"url": "https://github.com/x/y", "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
                              "repositoryRef": {"branch": "main"}, "httpsCACert": None},
            "kustomizations": kustomizations if kustomizations is not None else {
                "infra": {"name": "infra", "path": "./infrastructure", "dependsOn": [], "prune": True,
                          "timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "force": False, "wait": True}},
            "statuses": statuses or [], "complianceState": compliance, "provisioningState": provisioning,
            "errorMessage": "",
        },
    }


def extension_resource(name="flux", ext_type="microsoft.flux", provisioning="Succeeded", **cluster):
    return {"id": config_path("extensions", name, **cluster), "name": name,
            "type": "Microsoft.KubernetesConfiguration/extensions",
            "properties": {"extensionType": ext_type, "provisioningState": provisioning,
                           "configurationSettings": {}, "configurationProtectedSettings": {}}}


def url(kind, name=None, query=FLUX_API, **cluster):
    return ARM + config_path(kind, name, **cluster) + ("?" + query if query else "")


def add_json(mock, method, address, body, status=200, headers=None, match_querystring=True):
    mock.add(method, address, json=body, status=status, headers=headers or {},
             match=[responses.matchers.query_string_matcher(address.split("?", 1)[1])] if "?" in address else [])


def async_headers(op_url):
    return {"Azure-AsyncOperation": op_url}


def op_url(kind, name, op="op1", **cluster):
    return ARM + config_path(kind, name, **cluster) + "/operations/" + op + "?api-version=2025-04-01"


def json_body(request):
    return json.loads(request.body)


def no_flux_v1(mock, **cluster):
    """Answer the Flux v1 check that comes before microsoft.flux is installed: no sourceControlConfigurations."""
    add_json(mock, responses.GET, url("sourceControlConfigurations", query="api-version=2022-03-01", **cluster),
             {"value": []})
