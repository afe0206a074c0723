"""Flux objects against the Flux 2.6 CRDs shipped in crds/ (the official CustomResourceDefinitions).

`check(obj)` returns [(path, message)] for an object of a Flux kind: an apiVersion the CRD does not
serve, and every violation of the served version's `openAPIV3Schema`, checked like
`kubectl apply --validate=strict`: types, required fields, enums, patterns, lengths, minimums, and
unknown fields where the schema lists the properties.  `metadata` and `status` are not checked.
The CRDs use only these structural keywords, so no JSON-schema library is needed.
`deprecated(obj)` is the CRD's deprecation warning for the object's version, if any.
"""
import os
import re

import yaml

CRD_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "crds")
CRD_FILES = {"GitRepository": "gitrepositories.yaml", "OCIRepository": "ocirepositories.yaml",
             "Bucket": "buckets.yaml", "HelmRepository": "helmrepositories.yaml", "HelmChart": "helmcharts.yaml",
             "HelmRelease": "helmreleases.yaml", "Kustomization": "kustomizations.yaml"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CACHE = {}
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def crd(kind):
    """(group, {version: version entry}) of a Flux kind's CRD, or None for other kinds."""
    if kind not in CRD_FILES:
        return None
    if kind not in _CACHE:
        with open(os.path.join(CRD_DIR, CRD_FILES[kind]), encoding="utf-8") as f:
            doc = yaml.load(f, Loader=_Loader)
        _CACHE[kind] = (doc["spec"]["group"], {v["name"]: v for v in doc["spec"]["versions"] if v.get("served")})
    return _CACHE[kind]


def is_flux(obj):
    """True for objects of the Flux kinds this module checks (by kind and API group)."""
    kind = obj.get("kind")
    if kind not in CRD_FILES:
        return False
    return str(obj.get("apiVersion", "")).split("/")[0] == crd(kind)[0]


def _version(obj):
    group, versions = crd(obj["kind"])
    _, _, version = str(obj.get("apiVersion", "")).partition("/")
    return group, versions, version


def deprecated(obj):
    _, versions, version = _version(obj)
    entry = versions.get(version) or {}
    if entry.get("deprecated"):
        return entry.get("deprecationWarning") or "{} {} is deprecated".format(obj["apiVersion"], obj["kind"])
    return None


def check(obj):
    """[(path list, message)] for a Flux object (see the module docstring)."""
    group, versions, version = _version(obj)
    if version not in versions:
        return [(["apiVersion"], "no matches for kind \"{}\" in version \"{}\": the Flux 2.6 CRD serves {}".format(
            obj["kind"], obj.get("apiVersion"), ", ".join(group + "/" + v for v in sorted(versions))))]
    schema = versions[version]["schema"]["openAPIV3Schema"]
    problems = []
    props = schema.get("properties") or {}
    for key, value in obj.items():
        if key in ("metadata", "status", "apiVersion", "kind"):
            continue
        if key not in props:
            problems.append(([key], "unknown field \"{}\"".format(key)))
        else:
            _validate(value, props[key], [key], problems)
    for key in schema.get("required") or []:
        if key not in obj:
            problems.append(([key], "{}: Required value".format(key)))
    return problems


def _dotted(path):
    out = ""
    for part in path:
        out += "[{}]".format(part) if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _type_ok(value, schema):
    if schema.get("x-kubernetes-int-or-string"):
        return isinstance(value, (int, str)) and not isinstance(value, bool)
    wanted = schema.get("type")
    if wanted is None:
        return True
    if wanted == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if wanted == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES.get(wanted, object))


def _validate(value, schema, path, problems):
    where = _dotted(path)
    if value is None:
        return              # a null field is dropped by the API server
    if not _type_ok(value, schema):
        problems.append((path, "{}: Invalid value: {}: must be of type {}".format(
            where, _shown(value), schema.get("type") or "int-or-string")))
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append((path, "{}: Unsupported value: {}: supported values: {}".format(
            where, _shown(value), ", ".join(_shown(v) for v in schema["enum"]))))
    if isinstance(value, str):
        _check_string(value, schema, path, where, problems)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append((path, "{}: Invalid value: {}: should be greater than or equal to {}".format(
                where, value, schema["minimum"])))
        if "maximum" in schema and value > schema["maximum"]:
            problems.append((path, "{}: Invalid value: {}: should be less than or equal to {}".format(
                where, value, schema["maximum"])))
    elif isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problems.append((path, "{}: Too many: {}: must have at most {} items".format(
                where, len(value), schema["maxItems"])))
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append((path, "{}: must have at least {} items".format(where, schema["minItems"])))
        for index, item in enumerate(value):
            if isinstance(schema.get("items"), dict):
                _validate(item, schema["items"], path + [index], problems)
    elif isinstance(value, dict):
        _check_object(value, schema, path, where, problems)


def _check_string(value, schema, path, where, problems):
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        problems.append((path, "{}: Too long: may not be more than {} bytes".format(where, schema["maxLength"])))
    if "minLength" in schema and len(value) < schema["minLength"]:
        problems.append((path, "{}: Invalid value: {}: should be at least {} chars long".format(
            where, _shown(value), schema["minLength"])))
    pattern = schema.get("pattern")
    if pattern:
        try:
            matched = re.search(pattern, value)
        except re.error:
            matched = True          # a Go-only construct: leave it to the API server
        if not matched:
            problems.append((path, "{}: Invalid value: {}: should match '{}'".format(where, _shown(value), pattern)))


def _check_object(value, schema, path, where, problems):
    props = schema.get("properties")
    extra = schema.get("additionalProperties")
    for key in schema.get("required") or []:
        if key not in value:
            problems.append((path + [key], "{}: Required value".format(_dotted(path + [key]))))
    for key, item in value.items():
        if props and key in props:
            _validate(item, props[key], path + [key], problems)
        elif isinstance(extra, dict):
            _validate(item, extra, path + [key], problems)
        elif props is not None and extra is not True and not schema.get("x-kubernetes-preserve-unknown-fields"):
            problems.append((path + [key], "unknown field \"{}\"".format(_dotted(path + [key]))))


def _shown(value):
    return "\"{}\"".format(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) \
        else str(value)
