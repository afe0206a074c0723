"""Post-build substitution from -k keys and kustomization flags."""
import pytest
from azext_fluxlite.core.errors import FluxliteError, InvalidArgumentValueError

from azext_fluxlite.core.durations import to_iso8601_duration
from azext_fluxlite.flux.kustomizations import parse_kustomization
from azext_fluxlite.flux.postbuild import build_post_build


def test_substitute_and_substitute_from_keys_build_post_build():
    body = parse_kustomization(["name=apps", "path=./apps", "substitute=cluster_env=prod",
                                "substitute=greeting=a=b", "substituteFrom=ConfigMap/cluster-vars",
                                "substitute-from=secret/cluster-secrets:optional"])
    assert body["postBuild"] == {
        "substitute": {"cluster_env": "prod", "greeting": "a=b"},
        "substituteFrom": [{"kind": "ConfigMap", "name": "cluster-vars", "optional": False},
                           {"kind": "Secret", "name": "cluster-secrets", "optional": True}]}
    assert list(body)[-1] == "postBuild"


@pytest.mark.parametrize("token,needle", [
    ("substitute=noequals", "VARIABLE=VALUE"),
    ("substitute=1bad=x", "variable name"),
    ("substituteFrom=Deployment/x", "ConfigMap or Secret"),
    ("substituteFrom=Secret/Bad_Name", "upper-case"),
    ("substituteFrom=Secret/x:maybe", ":optional"),
    ("substitutes=x=1", "Did you mean 'substitute'"),
])
def test_bad_post_build_tokens_are_one_line_errors_naming_the_key(token, needle):
    with pytest.raises(FluxliteError) as info:
        parse_kustomization(["name=apps", token])
    assert needle in str(info.value) and "\n" not in str(info.value)


def test_the_same_variable_twice_is_an_error():
    with pytest.raises(InvalidArgumentValueError, match="twice"):
        parse_kustomization(["name=a", "substitute=x=1", "substitute=x=2"])


def test_flags_build_the_same_object():
    assert build_post_build(["a=1"], ["Secret/s:optional"]) == {
        "substitute": {"a": "1"}, "substituteFrom": [{"kind": "Secret", "name": "s", "optional": True}]}
    assert build_post_build() is None


@pytest.mark.parametrize("given,expected", [("PT30M", "PT30M"), ("p1d", "PT24H"), ("1h30m", "PT1H30M"),
                                            ("90", "PT1M30S"), (3600, "PT1H")])
def test_reconciliation_wait_duration_forms(given, expected):
    assert to_iso8601_duration(given, "--reconciliation-wait-duration") == expected


@pytest.mark.parametrize("given", ["PT0S", "P", "later", "", None])
def test_reconciliation_wait_duration_rejects(given):
    with pytest.raises(FluxliteError, match="--reconciliation-wait-duration"):
        to_iso8601_duration(given, "--reconciliation-wait-duration")
