"""`--kustomization` / `-k` KEY=VALUE groups, dependsOn lists and kustomization dependency graphs.

Each `-k` occurrence is one kustomization, written as KEY=VALUE tokens.  `parse_kustomization`
turns one group into the *wire* body (KustomizationDefinition field names) holding only the keys
given, plus "name".  Fixes over the original (flux-cli.md §3, quirks 1-5):

* keys are matched ignoring case, '-' and '_', so `depends-on`, `depends_on`, `dependsOn`,
  `disable_health_check` and `disable-health-check` all work; an unknown key is an error with a
  "did you mean" suggestion instead of being silently dropped;
* `name` is required in every group (the original's required-key set was global and mutated);
* a token without '=' is a usage error, not a Python traceback;
* booleans are true/false/yes/no/1/0 (any case) and nothing else: `prune=false` sends false; an
  empty value (`prune=`) is false, as in the original;
* durations are checked by `_durations.parse_duration` (anchored; plain seconds allowed);
* `disableHealthCheck=true` means `wait=false`; `wait` may be given directly; a contradiction
  between the two is an error; a key given twice (also through two aliases) is an error;
* dependsOn accepts `["infra","apps"]`, `[infra,apps]`, `infra,apps` or `infra`; items are
  trimmed; empty or duplicate items are errors; `dependsOn=` (or `[]`) is an empty list.

Keys live in a table (`KEYS`); `register_key` adds one (e.g. postBuild substitutions, issue 5).
"""
import argparse
import difflib
import json
from collections import OrderedDict, namedtuple

from azext_fluxlite.core.errors import (
    ArgumentUsageError, InvalidArgumentValueError, RequiredArgumentMissingError,
)

from azext_fluxlite.core.display import shown
from azext_fluxlite.core.durations import parse_duration
from azext_fluxlite.core.names import check_kustomization_name
from azext_fluxlite.flux.postbuild import add_substitute_from, add_substitution

ZSH_HINT = ("in zsh quote the whole token, e.g. 'dependsOn=[\"infra\",\"apps\"]', "
            "or write dependsOn=infra,apps")

KUSTOMIZATION_HELP = (
    "Define a kustomization: KEY=VALUE tokens, repeat -k for more kustomizations. Keys: name (required), "
    "path, dependsOn (aliases depends_on, depends-on, dependencies, depends), timeout, "
    "syncInterval (interval, sync_interval), retryInterval (retry_interval), prune, force, "
    "disableHealthCheck (disable-health-check, disable_health_check), wait, and post-build variable "
    "substitution: substitute=VAR=value and substituteFrom=ConfigMap/NAME or Secret/NAME[:optional] "
    "(each repeatable). Durations: 1h2m5s, 10m, 90s or plain seconds. Booleans: true/false. "
    "dependsOn: infra,apps or [infra,apps]; " + ZSH_HINT + ". Example: -k name=infra path=./infra "
    "prune=true -k name=apps path=./apps dependsOn=infra substitute=cluster_env=prod.")

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}

# canonical: the name shown to users; aliases: other accepted spellings (shown in help and
# suggestions); apply(result, value, label): stores the converted value in the wire dict;
# repeatable: the key may appear more than once in a group (e.g. one substitution per token).
KustomizationKey = namedtuple("KustomizationKey", "canonical aliases apply repeatable")

KEYS = OrderedDict()
_LOOKUP = {}
# Order of the wire fields in the result (the original serializer's order); others come after.
WIRE_ORDER = ["name", "path", "dependsOn", "timeoutInSeconds", "syncIntervalInSeconds",
              "retryIntervalInSeconds", "prune", "force", "wait", "postBuild"]


def _norm(key):
    return key.lower().replace("-", "").replace("_", "")


def register_key(canonical, aliases, apply, repeatable=False):
    """Add a `-k` key.  `apply(result, value, label)` writes the wire field(s) into `result`."""
    spec = KustomizationKey(canonical, tuple(aliases), apply, repeatable)
    KEYS[canonical] = spec
    for spelling in (canonical,) + spec.aliases:
        _LOOKUP[_norm(spelling)] = spec
    return spec


def unregister_key(canonical):
    """Remove a key added by `register_key` (tests, feature flags)."""
    spec = KEYS.pop(canonical)
    for spelling in (canonical,) + spec.aliases:
        if _LOOKUP.get(_norm(spelling)) is spec:
            del _LOOKUP[_norm(spelling)]


def parse_bool(value, option):
    """true/yes/1 -> True, false/no/0 -> False (any case, surrounding spaces ignored)."""
    if isinstance(value, bool):
        return value
    text = ("" if value is None else str(value)).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidArgumentValueError("{} must be true or false (also accepted: yes/no, 1/0), not {}.".format(
        option, shown(value) if text else "an empty value"))


def _unquote(item):
    item = item.strip()
    if len(item) >= 2 and item[0] == item[-1] and item[0] in "'\"":
        item = item[1:-1].strip()
    return item


def parse_depends_on(value, option):
    """Parse a dependsOn value into a list of kustomization names (see the module docstring)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    else:
        text = str(value).strip()
        if text.startswith("[") != text.endswith("]"):
            raise InvalidArgumentValueError(
                "{} {} has an unmatched bracket: write [infra,apps] or infra,apps ({}).".format(
                    option, shown(text), ZSH_HINT))
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                if not all(isinstance(v, str) for v in loaded):
                    raise InvalidArgumentValueError(
                        "{} {} must list kustomization names as strings, e.g. [\"infra\",\"apps\"].".format(
                            option, shown(text)))
                items = [v.strip() for v in loaded]
            else:
                text = text[1:-1]
                items = [_unquote(v) for v in text.split(",")] if text.strip() else []
        else:
            items = [_unquote(v) for v in text.split(",")] if text else []
    names = []
    for item in items:
        if not item:
            raise InvalidArgumentValueError(
                "{} has an empty item: remove the extra comma, e.g. infra,apps.".format(option))
        try:
            check_kustomization_name(item, option="{} item".format(option))
        except InvalidArgumentValueError as exc:
            raise InvalidArgumentValueError(
                "{} Separate kustomization names with commas, e.g. infra,apps.".format(exc.error_msg)) from None
        if item in names:
            raise InvalidArgumentValueError("{} lists {} twice: give each dependency once.".format(
                option, shown(item)))
        names.append(item)
    return names


def _setter(wire, convert):
    def apply(result, value, label):
        result[wire] = convert(value, label)
    return apply


def _flag(value, label):
    """A -k boolean.  An empty value (`prune=`) is false: it was the original's only way to send false."""
    if isinstance(value, str) and not value.strip():
        return False
    return parse_bool(value, label)


def _apply_wait(result, value, label, invert):
    wait = _flag(value, label)
    if invert:
        wait = not wait
    if "wait" in result and result["wait"] != wait:
        raise ArgumentUsageError(
            "{} contradicts the other health-check key in the same -k group: disableHealthCheck=true "
            "means wait=false; give only one of them.".format(label))
    result["wait"] = wait


register_key("name", (), _setter("name", lambda v, label: check_kustomization_name(v, option=label)))
register_key("path", (), _setter("path", lambda v, label: v))
register_key("dependsOn", ("depends_on", "depends-on", "dependencies", "depends"),
             _setter("dependsOn", parse_depends_on))
register_key("timeout", (), _setter("timeoutInSeconds", parse_duration))
register_key("syncInterval", ("interval", "sync_interval", "sync-interval"),
             _setter("syncIntervalInSeconds", parse_duration))
register_key("retryInterval", ("retry_interval", "retry-interval"),
             _setter("retryIntervalInSeconds", parse_duration))
register_key("prune", (), _setter("prune", _flag))
register_key("force", (), _setter("force", _flag))
register_key("disableHealthCheck", ("disable-health-check", "disable_health_check"),
             lambda result, value, label: _apply_wait(result, value, label, True))
register_key("wait", (), lambda result, value, label: _apply_wait(result, value, label, False))
register_key("substitute", ("postBuild.substitute",), add_substitution, repeatable=True)
register_key("substituteFrom", ("substitute_from", "substitute-from", "postBuild.substituteFrom"),
             add_substitute_from, repeatable=True)


def _valid_keys():
    return ", ".join(KEYS)


def _unknown_key(key, option):
    spellings = {}
    for spec in KEYS.values():
        for spelling in (spec.canonical,) + spec.aliases:
            spellings.setdefault(_norm(spelling), spec.canonical)
    close = difflib.get_close_matches(_norm(key), list(spellings), n=1, cutoff=0.6)
    suggestion = " Did you mean '{}'?".format(spellings[close[0]]) if close else ""
    return InvalidArgumentValueError("{} has no key {}.{} Valid keys: {}.".format(
        option, shown(key), suggestion, _valid_keys()))


def parse_kustomization(tokens, option="--kustomization"):
    """Parse one `-k` group (a list of KEY=VALUE tokens) into its wire body including "name"."""
    if isinstance(tokens, str):
        tokens = [tokens]
    result = {}
    seen = {}
    for token in tokens or []:
        token = "" if token is None else str(token)
        key, sep, value = token.partition("=")
        if not sep or not key.strip():
            hint = ""
            if not sep and _norm(token.strip()) in _LOOKUP:
                hint = " Give {} a value: {}=VALUE.".format(shown(token.strip()), token.strip())
            raise ArgumentUsageError(
                "usage error: {} KEY=VALUE [KEY=VALUE ...]: {} is not KEY=VALUE.{} Example: {} name=apps "
                "path=./apps prune=true.".format(option, shown(token), hint, option))
        key = key.strip()
        spec = _LOOKUP.get(_norm(key))
        if spec is None:
            raise _unknown_key(key, option)
        if spec.canonical in seen and not spec.repeatable:
            earlier = seen[spec.canonical]
            also = "" if earlier == key else " (also as {})".format(shown(earlier))
            raise ArgumentUsageError("{} gives {}{} more than once in the same group: give it once.".format(
                option, shown(key), also))
        seen[spec.canonical] = key
        spec.apply(result, value, "{} {}".format(option, key))
    if "name" not in result:
        given = ", ".join(seen.values()) or "nothing"
        raise RequiredArgumentMissingError(
            "Every {0} needs name=NAME, e.g. {0} name=apps path=./apps; this one has: {1}.".format(option, given))
    ordered = {k: result[k] for k in WIRE_ORDER if k in result}
    ordered.update((k, v) for k, v in result.items() if k not in ordered)
    return ordered


class KustomizationAddAction(argparse.Action):  # pylint: disable=too-few-public-methods
    """argparse action for `-k/--kustomization` (nargs='+'): appends the parsed wire body to a list.

    Errors are azure-cli errors raised at parse time, before anything is sent.
    """

    def __call__(self, parser, namespace, values, option_string=None):
        parsed = parse_kustomization(values, option_string or "--kustomization")
        current = getattr(namespace, self.dest, None)
        items = list(current) if isinstance(current, list) else []
        items.append(parsed)
        setattr(namespace, self.dest, items)


def check_kustomization_set(kustomizations, config_name, option="--kustomization", dependencies=True):
    """Check the -k groups of one request; return {name: body without "name"} in the given order.

    Checks the names (including the combined length with `config_name`), duplicates, and (unless
    `dependencies` is False, for updates checked later against the existing ones) that every
    dependsOn names another kustomization of the set, without cycles.
    """
    result = OrderedDict()
    for body in kustomizations or []:
        name = body.get("name")
        check_kustomization_name(name, config_name, option="{} name".format(option))
        if name in result:
            raise InvalidArgumentValueError(
                "{} defines the kustomization {} more than once: give each -k a unique name.".format(
                    option, shown(name)))
        result[name] = {k: v for k, v in body.items() if k != "name"}
    if dependencies:
        check_dependency_graph({name: body.get("dependsOn") or [] for name, body in result.items()}, option)
    return dict(result)


def _path_back(graph, start):
    """A dependency path start -> ... -> start, or None.  Iterative DFS, deterministic order."""
    stack = [(start, iter(graph.get(start) or []))]
    path = [start]
    visited = set()
    while stack:
        node, deps = stack[-1]
        nxt = next(deps, None)
        if nxt is None:
            stack.pop()
            path.pop()
            continue
        if nxt == start:
            return path + [start]
        if nxt in visited or nxt not in graph:
            continue
        visited.add(nxt)
        stack.append((nxt, iter(graph.get(nxt) or [])))
        path.append(nxt)
    return None


def check_dependency_graph(graph, option="--kustomization", focus=None):
    """Check kustomization dependencies: `graph` maps every kustomization name of the configuration
    to its dependsOn list.

    For each name in `focus` (default: all), every dependency must be a kustomization in `graph`,
    not itself, and no cycle may pass through it (the message prints the cycle, `a -> b -> a`).
    Use `focus` for kustomization create/update so old problems elsewhere do not block a change.
    """
    names = list(graph) if focus is None else [n for n in focus if n in graph]
    known = ", ".join(sorted(graph)) or "none"
    for name in names:
        for dep in graph.get(name) or []:
            if dep == name:
                raise InvalidArgumentValueError(
                    "{}: kustomization {} depends on itself ({} -> {}): remove it from its dependsOn.".format(
                        option, shown(name), name, name))
            if dep not in graph:
                raise InvalidArgumentValueError(
                    "{}: kustomization {} depends on {}, which is not a kustomization of this "
                    "configuration (known: {}): fix dependsOn or add that kustomization.".format(
                        option, shown(name), shown(dep), known))
    for name in names:
        cycle = _path_back(graph, name)
        if cycle:
            raise InvalidArgumentValueError(
                "{}: kustomization dependencies form a cycle: {}. Remove one of these dependsOn "
                "entries.".format(option, " -> ".join(cycle)))


def check_kustomization_changes(existing, changes, option="--kustomization"):
    """Check dependsOn of new or changed kustomizations against a configuration's existing ones.

    `existing` is the configuration's current `kustomizations` map (wire bodies; null entries are
    ignored), `changes` maps name -> the body being sent (create/update) or None (delete: fails
    if a remaining kustomization depends on it).  A change without
    "dependsOn" keeps the existing dependencies.  Only the changed kustomizations are checked.
    """
    graph = {name: list(body.get("dependsOn") or []) for name, body in (existing or {}).items()
             if isinstance(body, dict)}
    for name, body in changes.items():
        if body is None:
            graph.pop(name, None)
        elif "dependsOn" in body or name not in graph:
            graph[name] = list(body.get("dependsOn") or [])
    for name, body in changes.items():
        if body is None:
            users = sorted(n for n, deps in graph.items() if name in deps)
            if users:
                raise InvalidArgumentValueError(
                    "{}: kustomization {} cannot be removed because {} depend(s) on it: remove it from "
                    "their dependsOn first.".format(option, shown(name), ", ".join(users)))
    check_dependency_graph(graph, option, focus=[n for n, b in changes.items() if b is not None])
