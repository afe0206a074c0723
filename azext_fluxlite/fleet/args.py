"""The `flux create` arguments of `fleet apply` and of the Python API, with the originals' defaults."""
import json

from azext_fluxlite.core.errors import UnrecognizedArgumentError
from azext_fluxlite.flux.kustomizations import parse_kustomization
from azext_fluxlite.flux.operations import SOURCE_ARGS

# `flux create` defaults (flux/custom.py create_config) for the arguments that have one.
CREATE_DEFAULTS = {"scope": "cluster", "namespace": "default", "kind": "git", "bucket_insecure": False,
                   "sp_client_cert_send_chain": False, "suspend": False}
OTHER_CREATE_ARGS = ("name", "scope", "namespace", "kind", "suspend", "kustomization", "wait_for_reconciliation",
                     "reconciliation_wait_duration")
CREATE_ARGS = frozenset(SOURCE_ARGS) | frozenset(OTHER_CREATE_ARGS)


def create_args(values):
    """`values` (dest name -> value, None = not given) completed with the defaults of `flux create`."""
    args = dict.fromkeys(CREATE_ARGS)
    for key, value in values.items():
        if key not in CREATE_ARGS:
            raise UnrecognizedArgumentError("Unknown flux configuration argument '{}'. Known: {}.".format(
                key, ", ".join(sorted(CREATE_ARGS))))
        args[key] = value
    for key, default in CREATE_DEFAULTS.items():
        if args.get(key) is None:
            args[key] = default
    return args


def _token(key, value):
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (list, tuple)):
        value = json.dumps(list(value))
    return "{}={}".format(key, value)


def kustomization_groups(items, option="kustomizations"):
    """Python API kustomizations -> the parsed `-k` bodies: each item is a `-k` string
    ("name=apps path=./apps dependsOn=infra"), a list of KEY=VALUE tokens, or a dict {key: value}."""
    parsed = []
    for item in items or []:
        if isinstance(item, str):
            tokens = item.split()
        elif isinstance(item, dict):
            tokens = []
            for key, value in item.items():
                if key in ("substitute", "substituteFrom") and isinstance(value, (list, tuple)):
                    tokens.extend(_token(key, v) for v in value)
                elif key == "substitute" and isinstance(value, dict):
                    tokens.extend(_token(key, "{}={}".format(k, v)) for k, v in value.items())
                else:
                    tokens.append(_token(key, value))
        else:
            tokens = [str(t) for t in item]
        parsed.append(parse_kustomization(tokens, option))
    return parsed
