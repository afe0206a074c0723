"""Post-build variable substitution of a kustomization (API `postBuild`), from the command line.

The originals cannot set it.  The syntax avoids brackets, braces, quotes and glob characters so the
same command works in bash, zsh and PowerShell:

    -k name=apps path=./apps substitute=cluster_env=prod substitute=replicas=2 \
       substituteFrom=ConfigMap/cluster-vars substituteFrom=Secret/cluster-secrets:optional

and on `kustomization create/update`: --substitute cluster_env=prod replicas=2
--substitute-from ConfigMap/cluster-vars Secret/cluster-secrets:optional
"""
import re

from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.display import shown
from azext_fluxlite.core.names import check_dns_subdomain

# Flux substitutes ${var} for variables named like shell variables.
_VARIABLE = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_KINDS = {"configmap": "ConfigMap", "secret": "Secret"}
SUBSTITUTE_EXAMPLE = "cluster_env=prod"
SUBSTITUTE_FROM_EXAMPLE = "ConfigMap/cluster-vars or Secret/cluster-secrets:optional"


def parse_substitution(value, option):
    """'VAR=value' -> (VAR, value)."""
    name, sep, text = str(value).partition("=")
    if not sep:
        raise InvalidArgumentValueError("{} takes VARIABLE=VALUE, e.g. {}={}; got {}.".format(
            option, option.split()[-1] if " " in option else option, SUBSTITUTE_EXAMPLE, shown(value)))
    if not _VARIABLE.fullmatch(name):
        raise InvalidArgumentValueError(
            "{}: {} is not a variable name Flux can substitute: use letters, digits and '_', not starting "
            "with a digit, e.g. {}.".format(option, shown(name), SUBSTITUTE_EXAMPLE))
    return name, text


def parse_substitute_from(value, option):
    """'Kind/name[:optional]' -> {"kind", "name", "optional"}."""
    text = str(value).strip()
    ref, _, flag = text.partition(":")
    kind, slash, name = ref.partition("/")
    if not slash or kind.lower() not in _KINDS or flag not in ("", "optional"):
        raise InvalidArgumentValueError(
            "{} takes KIND/NAME with KIND ConfigMap or Secret and an optional ':optional' suffix, e.g. {}; "
            "got {}.".format(option, SUBSTITUTE_FROM_EXAMPLE, shown(value)))
    check_dns_subdomain(name, option, what="a {} name".format(_KINDS[kind.lower()]))
    return {"kind": _KINDS[kind.lower()], "name": name, "optional": flag == "optional"}


def add_substitution(result, value, label):
    """`-k` key applier: adds one VAR=value to result["postBuild"]["substitute"]."""
    name, text = parse_substitution(value, label)
    substitute = result.setdefault("postBuild", {}).setdefault("substitute", {})
    if name in substitute:
        raise InvalidArgumentValueError("{} sets {} twice: give each variable once.".format(label, shown(name)))
    substitute[name] = text


def add_substitute_from(result, value, label):
    """`-k` key applier: adds one reference to result["postBuild"]["substituteFrom"]."""
    ref = parse_substitute_from(value, label)
    refs = result.setdefault("postBuild", {}).setdefault("substituteFrom", [])
    if any(r["kind"] == ref["kind"] and r["name"] == ref["name"] for r in refs):
        raise InvalidArgumentValueError("{} names {}/{} twice: give each once.".format(
            label, ref["kind"], ref["name"]))
    refs.append(ref)


def build_post_build(substitute=None, substitute_from=None):
    """The `postBuild` wire object from the --substitute / --substitute-from flags (None if neither)."""
    result = {}
    for item in substitute or []:
        add_substitution(result, item, "--substitute")
    for item in substitute_from or []:
        add_substitute_from(result, item, "--substitute-from")
    return result.get("postBuild")
