"""Name rules for flux configurations, kustomizations and namespaces.

Every check raises one azure-cli error whose one-line message names the option, says exactly what
is wrong (empty, too long, which character is not allowed, bad first or last character) and how to
fix it.

Decisions (documented here because they differ from the original, flux-cli.md §4.1, quirk 15):

* Configuration and kustomization names follow the Kubernetes DNS-1123 *subdomain* rule, which is
  what the objects Flux creates from them must satisfy: at most 63 characters here (the original's
  limit), lower-case letters, digits, '-' and '.', and every dot-separated part must start and end
  with a letter or digit.  So `a..b` and `a.-b` are rejected (the original let them through and the
  cluster failed later).
* A kustomization becomes the in-cluster Kustomization `<config>-<kustomization>`; the original
  defines, but never applies, the limit "configuration name combined with kustomization name cannot
  be greater than 62 characters".  fluxlite applies it as len(config) + len(kustomization) <= 62,
  i.e. the in-cluster name `<config>-<kustomization>` is at most 63 characters (a valid label).
* `--namespace` is a Kubernetes namespace, i.e. an RFC 1123 *label*: at most 63 characters (the
  original allowed 253, which Kubernetes itself rejects), lower-case letters, digits and '-' only,
  starting and ending with a letter or digit.
* An empty name is an error with a clear message (the original crashed with an IndexError).
"""
import re

from azext_fluxlite.core.errors import InvalidArgumentValueError, RequiredArgumentMissingError

from azext_fluxlite.core.display import shown

MAX_NAME_LENGTH = 63
MAX_COMBINED_KUSTOMIZATION_LENGTH = 62
MAX_NAMESPACE_LENGTH = 63

_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def _check(value, option, what, max_length, allow_periods, example):
    """Shared rule engine; `what` is e.g. "a flux configuration name"."""
    allowed = "lower-case letters, digits, '-' and '.'" if allow_periods else "lower-case letters, digits and '-'"
    if value is None:
        raise RequiredArgumentMissingError("{} is required: give {} such as {}.".format(option, what, example))
    if not isinstance(value, str):
        value = str(value)
    if value == "":
        raise InvalidArgumentValueError("{} is empty: give {} such as {} ({} only).".format(
            option, what, example, allowed))
    if len(value) > max_length:
        raise InvalidArgumentValueError(
            "{} {} is {} characters long; {} can have at most {} characters. Use a shorter name.".format(
                option, shown(value), len(value), what, max_length))
    for char in value:
        if not ("a" <= char <= "z" or "0" <= char <= "9" or char == "-" or (char == "." and allow_periods)):
            if "A" <= char <= "Z":
                hint = "upper-case letters are not allowed"
                if (_SUBDOMAIN if allow_periods else _LABEL).fullmatch(value.lower()):
                    hint += "; use {}".format(shown(value.lower()))
            elif char == ".":
                hint = "periods are not allowed in {}".format(what)
            else:
                hint = "{} may contain only {}".format(what, allowed)
            raise InvalidArgumentValueError("{} {} contains the character {}: {}.".format(
                option, shown(value), shown(char), hint))
    for position, char in (("start", value[0]), ("end", value[-1])):
        if char in "-.":
            raise InvalidArgumentValueError(
                "{} {} must {} with a lower-case letter or digit, not {}.".format(
                    option, shown(value), position, shown(char)))
    pattern = _SUBDOMAIN if allow_periods else _LABEL
    if not pattern.fullmatch(value):
        raise InvalidArgumentValueError(
            "{} {}: each part between periods must be non-empty and start and end with a lower-case "
            "letter or digit (e.g. 'a.b-c', not 'a..b' or 'a.-b').".format(option, shown(value)))
    return value


def check_config_name(name, option="--name"):
    """Validate a flux configuration name (DNS-1123 subdomain, at most 63 characters); returns it."""
    return _check(name, option, "a flux configuration name", MAX_NAME_LENGTH, True, "'cluster-config'")


def check_kustomization_name(name, config_name=None, option="name"):
    """Validate a kustomization name; returns it.

    `option` labels the message: `name` inside `-k`, `--kustomization-name` for the kustomization
    commands.  With `config_name`, also checks the combined length rule (module docstring).
    """
    _check(name, option, "a kustomization name", MAX_NAME_LENGTH, True, "'apps'")
    if config_name and len(config_name) + len(name) > MAX_COMBINED_KUSTOMIZATION_LENGTH:
        raise InvalidArgumentValueError(
            "{} {} is too long for configuration {}: Flux names the kustomization '<configuration>-"
            "<kustomization>', so the two names together can have at most {} characters (they have {}). "
            "Shorten the kustomization or the configuration name.".format(
                option, shown(name), shown(config_name), MAX_COMBINED_KUSTOMIZATION_LENGTH,
                len(config_name) + len(name)))
    return name


def check_dns_subdomain(value, option, what="a Kubernetes object name", max_length=253):
    """Validate a Kubernetes object name (e.g. a secret or service account name); returns it."""
    return _check(value, option, what, max_length, True, "'my-name'")


def check_namespace(value, option="--namespace"):
    """Validate a Kubernetes namespace name (RFC 1123 label, at most 63, no periods); returns it."""
    return _check(value, option, "a namespace name", MAX_NAMESPACE_LENGTH, False, "'flux-system'")
