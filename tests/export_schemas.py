"""Check exports against the official schemas in ../shared/schemas (Flux 2.6 CRDs, ARM 2025-03/04-01).

Every test that produces an export passes its text through `flux_objects(text)` (Flux YAML) or
`arm_resources(text)` (ARM template): each object is validated with jsonschema against the real
contract, and the parsed documents are returned for the test's own assertions.

Flux: each object is validated against the `openAPIV3Schema` of its CRD version (found by kind and
apiVersion), with `x-kubernetes-int-or-string` mapped to `anyOf: [integer, string]` and every object
that lists its properties closed (`kubectl apply --validate=strict`).  Names are checked as the API
server does (metadata.name a DNS subdomain, metadata.namespace a DNS label).
ARM: the `properties` of each resource are validated against FluxConfigurationProperties
(fluxConfigurations) or ExtensionProperties (extensions) of the schema file of the resource's
apiVersion; $refs resolve within the file, and the common `expression` definition (any
`[...]` template expression) is provided here, as ARM's common definitions file is not in shared/.
"""
import copy
import functools
import json
import os
import re

import yaml

try:
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4
except ImportError as exc:   # pragma: no cover - a missing test tool must fail loudly, not skip
    raise ImportError("The schema checks need jsonschema (pip install jsonschema): " + str(exc)) from exc

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMAS = os.environ.get("FLUXLITE_SCHEMAS") or os.path.join(os.path.dirname(REPO), "shared", "schemas")
FLUX_CRDS = {"GitRepository": "gitrepositories.yaml", "Bucket": "buckets.yaml", "OCIRepository": "ocirepositories.yaml",
             "HelmRepository": "helmrepositories.yaml", "HelmChart": "helmcharts.yaml",
             "HelmRelease": "helmreleases.yaml", "Kustomization": "kustomizations.yaml"}
ARM_FILES = {"2025-04-01": "Microsoft.KubernetesConfiguration-2025-04-01.json",
             "2025-03-01": "Microsoft.KubernetesConfiguration-2025-03-01.json"}
ARM_DEFINITIONS = {"Microsoft.KubernetesConfiguration/fluxConfigurations": "FluxConfigurationProperties",
                   "Microsoft.KubernetesConfiguration/extensions": "ExtensionProperties"}
EXPRESSION_URI = "https://schema.management.azure.com/schemas/common/definitions.json"
# ARM's common `expression`: a string that is one template expression (a literal '[[' is not one).
EXPRESSION_DEF = {"type": "string", "pattern": r"^\[([^\[].*)?\]$"}
EXPRESSION = {"definitions": {"expression": EXPRESSION_DEF}}
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _closed(schema, crd=False):
    """The schema with every object that lists its properties accepting no others (a misspelt field
    fails, as with `kubectl apply --validate=strict`); crd=True also turns the CRD's Kubernetes
    extensions into plain JSON Schema (x-kubernetes-int-or-string: an integer or a string)."""
    if isinstance(schema, list):
        return [_closed(item, crd) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if crd and key.startswith("x-kubernetes-"):
            continue
        if key in ("properties", "definitions") and isinstance(value, dict):
            out[key] = {name: _closed(sub, crd) for name, sub in value.items()}
        else:
            out[key] = _closed(value, crd)
    if crd and schema.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.get("properties") and "additionalProperties" not in schema and \
            not schema.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out


@functools.lru_cache(maxsize=None)
def crd_validator(kind, api_version):
    """A jsonschema validator for `kind` at `api_version` (group/version) from its Flux 2.6 CRD."""
    assert kind in FLUX_CRDS, "no Flux CRD for kind {!r}".format(kind)
    with open(os.path.join(SCHEMAS, "flux-v2.6", FLUX_CRDS[kind]), encoding="utf-8") as handle:
        crd = next(d for d in yaml.safe_load_all(handle) if d)
    group, _, version = api_version.partition("/")
    assert group == crd["spec"]["group"], "{} belongs to {}, not {}".format(kind, crd["spec"]["group"], group)
    served = {v["name"]: v for v in crd["spec"]["versions"] if v.get("served")}
    assert version in served, "{} {} is not served by Flux 2.6 (served: {})".format(kind, version, sorted(served))
    schema = _closed(served[version]["schema"]["openAPIV3Schema"], crd=True)
    return jsonschema.Draft7Validator(schema)


def _errors(validator, instance):
    out = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        while error.context:   # oneOf/anyOf: name the branch's own failure, not "valid under none"
            error = max(error.context, key=lambda e: (len(e.absolute_path), e.schema != EXPRESSION_DEF))
        out.append("{}: {}".format("/".join(str(p) for p in error.absolute_path) or "(root)", error.message))
    return out


def check_flux_object(obj):
    """AssertionError listing every way `obj` is not a valid Flux 2.6 object."""
    assert isinstance(obj, dict) and obj.get("kind") and obj.get("apiVersion"), "not a Kubernetes object: %r" % obj
    problems = _errors(crd_validator(obj["kind"], obj["apiVersion"]), obj)
    meta = obj.get("metadata") or {}
    name, namespace = meta.get("name"), meta.get("namespace")
    if not (isinstance(name, str) and len(name) <= 253 and DNS_SUBDOMAIN.match(name)):
        problems.append("metadata/name: {!r} is not a DNS subdomain name".format(name))
    if namespace is not None and not (isinstance(namespace, str) and len(namespace) <= 63 and
                                      DNS_LABEL.match(namespace)):
        problems.append("metadata/namespace: {!r} is not a DNS label".format(namespace))
    assert not problems, "{} {!r} is refused by the Flux 2.6 CRD:\n  {}".format(
        obj["kind"], name, "\n  ".join(problems))


def flux_objects(text):
    """The objects of a Flux YAML export, each validated against its CRD; fails on any refusal."""
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    assert docs, "no Flux object in the export"
    for doc in docs:
        check_flux_object(doc)
    return docs


@functools.lru_cache(maxsize=None)
def _arm_registry(api_version):
    assert api_version in ARM_FILES, "no ARM schema for api-version {} in shared/schemas/arm".format(api_version)
    with open(os.path.join(SCHEMAS, "arm", ARM_FILES[api_version]), encoding="utf-8") as handle:
        document = json.load(handle)
    document = _closed(document)
    registry = Registry().with_resources([
        (document["id"].rstrip("#"), Resource.from_contents(document, default_specification=DRAFT4)),
        (EXPRESSION_URI, Resource.from_contents(EXPRESSION, default_specification=DRAFT4))])
    return document, registry


def arm_validator(resource_type, api_version):
    document, registry = _arm_registry(api_version)
    definition = ARM_DEFINITIONS.get(resource_type)
    assert definition, "no ARM schema definition for resource type {}".format(resource_type)
    assert definition in document["definitions"], "{} has no {} in {}".format(api_version, definition, resource_type)
    schema = {"$ref": document["id"].rstrip("#") + "#/definitions/" + definition}
    return jsonschema.Draft4Validator(schema, registry=registry)


def check_arm_resource(resource):
    """AssertionError listing every way an ARM template resource breaks its official schema."""
    problems = _errors(arm_validator(resource["type"], resource["apiVersion"]), resource.get("properties"))
    for key in ("name",):
        if not isinstance(resource.get(key), str) or not resource[key]:
            problems.append("{}: missing".format(key))
    assert not problems, "{} {!r} is refused by the ARM schema:\n  {}".format(
        resource.get("type"), resource.get("name"), "\n  ".join(problems))


def arm_resources(text):
    """The resources of an ARM template export, each validated; also the template's own shape."""
    template = json.loads(text)
    assert set(template) <= {"$schema", "contentVersion", "metadata", "parameters", "variables", "resources",
                             "outputs", "functions", "apiProfile"}, sorted(template)
    assert template["$schema"].endswith("/deploymentTemplate.json#")
    assert re.fullmatch(r"\d+(\.\d+){3}", template["contentVersion"])
    used = set(re.findall(r"parameters\('([^']+)'\)", json.dumps(template["resources"])))
    declared = template.get("parameters") or {}
    assert used == set(declared), "parameters used {} but declared {}".format(sorted(used), sorted(declared))
    for param in declared.values():
        assert param["type"] in ("string", "securestring", "int", "bool", "object", "secureObject", "array")
    for resource in template["resources"]:
        check_arm_resource(copy.deepcopy(resource))
    return template["resources"]
