"""Flux's post-build variable substitution (`postBuild.substitute`), in strict mode.

Each built object is written as YAML, `${var}` references are replaced, and the text is read again,
so `replicas: ${count}` becomes a number as on the cluster.  Forms: `${var}`, `${var:=default}`,
`${var:-default}`, `${var=default}`, `${var-default}`; `$${var}` is a literal `${var}`.  An object
with the annotation or label `kustomize.toolkit.fluxcd.io/substitute: disabled` is left alone.  A
variable with no default that nothing sets is an error ("variable not set (strict mode)"), unless
`postBuild.substituteFrom` names ConfigMaps or Secrets that only the cluster holds: then it is left
as written and reported in `unresolved`.
"""
import re

import yaml

from .paths import BuildError

DISABLED = "kustomize.toolkit.fluxcd.io/substitute"
_VAR = re.compile(r"\$(\$?)\{([^}]*)\}")
_NAME = re.compile(r"^([_A-Za-z][_A-Za-z0-9]*)(?:(:?[=-])(.*))?$", re.S)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _label(obj):
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    return "{}/{}{}".format(obj.get("kind"), (ns + "/") if ns else "", meta.get("name"))


def _disabled(obj):
    meta = obj.get("metadata") or {}
    return any(str((meta.get(k) or {}).get(DISABLED, "")).lower() == "disabled" for k in ("annotations", "labels"))


def referenced_variables(obj, text=None):
    """The variable names `${...}` in an object (escaped `$${...}` and opted-out objects aside)."""
    if _disabled(obj):
        return []
    if text is None:
        text = yaml.dump(obj, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20)
    names = []
    for m in _VAR.finditer(text):
        parsed = _NAME.match(m.group(2))
        if not m.group(1) and parsed and parsed.group(1) not in names:
            names.append(parsed.group(1))
    return names


def substitute(obj, variables, external=False, unresolved=None, text=None):
    """A copy of `obj` with variables substituted; BuildError for an unset variable without default.

    `text`: the object's YAML as kustomize printed it (keeps quoting, so '${n}' stays a string);
    `external`: postBuild.substituteFrom is set, so an unset variable may come from the cluster.
    """
    if _disabled(obj):
        return obj
    if text is None:
        text = yaml.dump(obj, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20)
    if "${" not in text:
        return obj

    def repl(m):
        if m.group(1):                              # $${VAR}: an escaped literal
            return "${" + m.group(2) + "}"
        parsed = _NAME.match(m.group(2))
        if not parsed:
            raise BuildError("{}: variable substitution failed: invalid variable reference '${{{}}}'".format(
                _label(obj), m.group(2)))
        name, op, default = parsed.groups()
        if name in variables and not (op and op.startswith(":") and variables[name] == ""):
            return str(variables[name])
        if op is not None:
            return default
        if external:
            if unresolved is not None and name not in unresolved:
                unresolved.append(name)
            return m.group(0)
        error = BuildError("{}: variable not set (strict mode): \"{}\"".format(_label(obj), name))
        error.variable = name
        raise error

    try:
        return yaml.load(_VAR.sub(repl, text), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise BuildError("{}: the YAML after variable substitution is invalid: {}".format(
            _label(obj), getattr(exc, "problem", None) or exc)) from None
