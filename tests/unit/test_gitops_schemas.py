"""The Flux CRD checks: the shipped CRDs are the official ones, and the checker agrees with jsonschema."""
import copy
import filecmp
import os

import pytest

from azext_fluxlite.gitops import schemas

SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "..", "shared",
                      "schemas", "flux-v2.6")

VALID = {
    "GitRepository": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                      "metadata": {"name": "r"}, "spec": {"interval": "1m", "url": "https://x/y", "ref": {"tag": "v1"}}},
    "HelmRepository": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
                       "metadata": {"name": "h"}, "spec": {"url": "oci://ghcr.io/x", "type": "oci"}},
    "HelmRelease": {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "a"},
                    "spec": {"interval": "5m", "chart": {"spec": {"chart": "app", "version": "1.x",
                                                                  "sourceRef": {"kind": "HelmRepository", "name": "h"}}},
                             "values": {"anything": {"goes": [1, 2]}}, "install": {"remediation": {"retries": 3}}}},
    "Kustomization": {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
                      "metadata": {"name": "k"}, "spec": {"interval": "10m", "prune": True, "path": "./x",
                                                          "sourceRef": {"kind": "GitRepository", "name": "r"},
                                                          "postBuild": {"substitute": {"a": "b"}}}},
    "Bucket": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "Bucket", "metadata": {"name": "b"},
               "spec": {"interval": "5m", "bucketName": "b", "endpoint": "s3.amazonaws.com", "provider": "aws"}},
    "OCIRepository": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "OCIRepository", "metadata": {"name": "o"},
                      "spec": {"interval": "5m", "url": "oci://ghcr.io/x/y", "ref": {"semver": ">=1.0.0"}}},
    "HelmChart": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart", "metadata": {"name": "c"},
                  "spec": {"interval": "5m", "chart": "app", "sourceRef": {"kind": "HelmRepository", "name": "h"}}},
}
BREAKAGES = [
    ("GitRepository", ["spec", "interval"], 60),                   # a number where a duration string goes
    ("GitRepository", ["spec", "recurseSubmodule"], True),         # a misspelt field
    ("HelmRepository", ["spec", "type"], "docker"),                # not in the enum
    ("HelmRelease", ["spec", "chart", "spec", "sourceRef", "kind"], "OCIRepository"),
    ("HelmRelease", ["spec", "install", "remediation", "retries"], "three"),
    ("Kustomization", ["spec", "interval"], "10 minutes"),          # does not match the pattern
    ("Kustomization", ["spec", "prune"], None),                     # required: removed below
    ("Bucket", ["spec", "provider"], "azure-blob"),
    ("OCIRepository", ["spec", "url"], "https://ghcr.io/x"),        # must be oci://
    ("HelmChart", ["spec", "chart"], None),
]


def _with(kind, path, value):
    obj = copy.deepcopy(VALID[kind])
    holder = obj
    for part in path[:-1]:
        holder = holder.setdefault(part, {})
    if value is None:
        holder.pop(path[-1], None)
    else:
        holder[path[-1]] = value
    return obj


@pytest.mark.skipif(not os.path.isdir(SHARED), reason="the shared schema folder is not next to the repository")
def test_the_shipped_crds_are_the_official_files():
    for name in schemas.CRD_FILES.values():
        assert filecmp.cmp(os.path.join(schemas.CRD_DIR, name), os.path.join(SHARED, name), shallow=False), name


def test_valid_objects_pass_and_each_breakage_is_found():
    for kind, obj in VALID.items():
        assert schemas.is_flux(obj) and schemas.check(obj) == [], kind
    for kind, path, value in BREAKAGES:
        problems = schemas.check(_with(kind, path, value))
        assert [p for p, _ in problems] == [path], (kind, path, problems)


def _closed(schema):
    """The CRD schema as `kubectl apply --validate=strict` reads it: listed properties are closed."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items() if k != "x-kubernetes-validations"}
        if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out \
                and not out.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
        if out.pop("x-kubernetes-int-or-string", False):
            out.pop("type", None)
            out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


def test_the_checker_agrees_with_jsonschema():
    jsonschema = pytest.importorskip("jsonschema")
    for kind, path, value in [(k, None, None) for k in VALID] + BREAKAGES:
        obj = VALID[kind] if path is None else _with(kind, path, value)
        _, versions = schemas.crd(kind)
        schema = _closed(versions[obj["apiVersion"].split("/")[1]]["schema"]["openAPIV3Schema"])
        schema["properties"].pop("metadata", None)
        errors = list(jsonschema.Draft4Validator(schema).iter_errors({k: v for k, v in obj.items() if k != "metadata"}))
        assert bool(errors) == bool(schemas.check(obj)), (kind, path, [e.message for e in errors])
