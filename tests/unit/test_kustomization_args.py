"""`-k/--kustomization` groups, dependsOn lists and dependency graphs."""
import argparse

import pytest
from azext_fluxlite.core.errors import (
    ArgumentUsageError, InvalidArgumentValueError, RequiredArgumentMissingError,
)

from azext_fluxlite.flux.kustomizations import (
    KUSTOMIZATION_HELP, KustomizationAddAction, check_dependency_graph, check_kustomization_changes,
    check_kustomization_set, parse_bool, parse_depends_on, parse_kustomization, register_key, unregister_key, KEYS,
)


def k(*tokens, option="-k"):
    return parse_kustomization(list(tokens), option)


def test_reference_example_group():
    # flux-cli.md §5.1 git example -k group
    assert k("name=infra", "path=./infra", "prune=true", "sync_interval=1h2m", "timeout=5m",
             "retry_interval=30s", "dependsOn=[a,b]", "disable-health-check=true") == {
        "name": "infra", "path": "./infra", "dependsOn": ["a", "b"], "timeoutInSeconds": 300,
        "syncIntervalInSeconds": 3720, "retryIntervalInSeconds": 30, "prune": True, "wait": False}


def test_only_given_keys_plus_name_in_wire_order():
    body = k("force=no", "wait=yes", "name=apps", "path=./apps")
    assert body == {"name": "apps", "path": "./apps", "force": False, "wait": True}
    assert list(body) == ["name", "path", "force", "wait"]
    assert k("name=a") == {"name": "a"}


@pytest.mark.parametrize("key", ["dependsOn", "depends_on", "depends-on", "dependencies", "depends", "DependsOn"])
def test_depends_on_aliases(key):
    assert k("name=a", key + "=b")["dependsOn"] == ["b"]


@pytest.mark.parametrize("key", ["interval", "sync_interval", "sync-interval", "syncInterval"])
def test_sync_interval_aliases(key):
    assert k("name=a", key + "=90")["syncIntervalInSeconds"] == 90


@pytest.mark.parametrize("key", ["retryInterval", "retry_interval", "retry-interval"])
def test_retry_interval_aliases(key):
    assert k("name=a", key + "=1m")["retryIntervalInSeconds"] == 60


@pytest.mark.parametrize("key", ["disable-health-check", "disable_health_check", "disableHealthCheck"])
@pytest.mark.parametrize("value, wait", [("true", False), ("True", False), ("false", True), ("0", True)])
def test_disable_health_check_spellings(key, value, wait):
    assert k("name=a", "{}={}".format(key, value))["wait"] is wait


def test_wait_and_disable_health_check_together():
    assert k("name=a", "wait=false", "disable-health-check=true")["wait"] is False
    with pytest.raises(ArgumentUsageError, match="disableHealthCheck=true means wait=false"):
        k("name=a", "wait=true", "disable-health-check=true")


@pytest.mark.parametrize("value, expected", [
    ("true", True), ("TRUE", True), ("yes", True), ("Yes", True), ("1", True),
    ("false", False), ("False", False), ("no", False), ("NO", False), ("0", False), (" false ", False),
])
def test_booleans(value, expected):
    # quirk 1: the original sent true for prune=false
    assert k("name=a", "prune=" + value)["prune"] is expected
    assert parse_bool(value, "--x") is expected


@pytest.mark.parametrize("key,wire,value", [("prune", "prune", False), ("force", "force", False),
                                             ("disableHealthCheck", "wait", True)])
def test_an_empty_boolean_is_false_as_in_the_original(key, wire, value):
    """`prune=` was the original's only way to send prune false; scripts may rely on it."""
    assert k("name=a", key + "=")[wire] is value


@pytest.mark.parametrize("value", ["t", "on", "off", "2", "truee", "y"])
def test_bad_booleans(value):
    with pytest.raises(InvalidArgumentValueError) as err:
        k("name=a", "prune=" + value)
    assert str(err.value).startswith("-k prune must be true or false")


def test_name_is_required_in_every_group():
    assert k("name=a")["name"] == "a"
    with pytest.raises(RequiredArgumentMissingError) as err:   # quirk 4: global set in the original
        k("path=./b", "prune=true")
    assert "needs name=NAME" in str(err.value) and "path, prune" in str(err.value)
    with pytest.raises(RequiredArgumentMissingError):
        k()


def test_token_without_equals_is_a_usage_error():
    # quirk 5: a raw ValueError in the original
    with pytest.raises(ArgumentUsageError) as err:
        k("name=a", "path", "./apps")
    message = str(err.value)
    assert message.startswith("usage error: -k KEY=VALUE")
    assert "'path' is not KEY=VALUE" in message and "path=VALUE" in message
    with pytest.raises(ArgumentUsageError, match="'=x' is not KEY=VALUE"):
        k("name=a", "=x")


@pytest.mark.parametrize("key, suggestion", [
    ("prun", "prune"), ("dependsOnn", "dependsOn"), ("timeoutInSeconds", "timeout"),
    ("retryIntervl", "retryInterval"), ("pth", "path"), ("nmae", "name"),
])
def test_unknown_key_suggests(key, suggestion):
    with pytest.raises(InvalidArgumentValueError) as err:
        k("name=a", key + "=1")
    message = str(err.value)
    assert "-k has no key '{}'".format(key) in message
    assert "Did you mean '{}'?".format(suggestion) in message
    assert "Valid keys: name, path, dependsOn" in message


def test_unknown_key_without_close_match():
    with pytest.raises(InvalidArgumentValueError) as err:
        k("name=a", "zzzzzz=1")
    assert "Did you mean" not in str(err.value)


def test_repeated_keys_are_errors():
    with pytest.raises(ArgumentUsageError, match="gives 'path' more than once"):
        k("name=a", "path=x", "path=y")
    with pytest.raises(ArgumentUsageError, match=r"'sync_interval' \(also as 'interval'\)"):
        k("name=a", "interval=1m", "sync_interval=1m")


def test_values_keep_equals_signs_and_paths_as_given():
    assert k("name=a", "path=./a=b")["path"] == "./a=b"
    assert k("name=a", "path=")["path"] == ""


def test_durations_are_checked_with_the_key_as_label():
    with pytest.raises(InvalidArgumentValueError, match=r"^-k timeout '1h30' is not a valid duration"):
        k("name=a", "timeout=1h30")
    assert k("name=a", "timeout=120")["timeoutInSeconds"] == 120


def test_name_is_checked():
    with pytest.raises(InvalidArgumentValueError, match=r"^-k name 'Apps' contains"):
        k("name=Apps")


# -- dependsOn -------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ('["infra","apps"]', ["infra", "apps"]),
    ('[ "infra" , "apps" ]', ["infra", "apps"]),
    ("[infra,apps]", ["infra", "apps"]),
    ("[ infra , apps ]", ["infra", "apps"]),
    ("['infra','apps']", ["infra", "apps"]),
    ("infra,apps", ["infra", "apps"]),
    (" infra , apps ", ["infra", "apps"]),
    ("infra", ["infra"]),
    ("[infra]", ["infra"]),
    ("", []), ("[]", []), ("[ ]", []), (None, []),
    (["a", " b "], ["a", "b"]),
])
def test_depends_on_forms(value, expected):
    assert parse_depends_on(value, "-k dependsOn") == expected


@pytest.mark.parametrize("value, expected", [
    ("a,,b", "has an empty item"),
    ("a,", "has an empty item"),
    ("[a,b", "unmatched bracket"),
    ("a]", "unmatched bracket"),
    ("[1,2]", "as strings"),
    ("a b", "Separate kustomization names with commas"),
    ("a,a", "lists 'a' twice"),
    ("A", "upper-case"),
])
def test_bad_depends_on(value, expected):
    with pytest.raises(InvalidArgumentValueError) as err:
        parse_depends_on(value, "-k dependsOn")
    assert str(err.value).startswith("-k dependsOn")
    assert expected in str(err.value)


def test_bracket_errors_mention_zsh_quoting():
    with pytest.raises(InvalidArgumentValueError) as err:
        parse_depends_on("[a", "-k dependsOn")
    assert "zsh" in str(err.value) and "dependsOn=infra,apps" in str(err.value)
    assert "zsh" in KUSTOMIZATION_HELP and "dependsOn=infra,apps" in KUSTOMIZATION_HELP


# -- sets and graphs -------------------------------------------------------------------------
def test_set_returns_map_and_checks_references():
    groups = [k("name=infra"), k("name=apps", "dependsOn=infra")]
    assert check_kustomization_set(groups, "cfg") == {"infra": {}, "apps": {"dependsOn": ["infra"]}}
    with pytest.raises(InvalidArgumentValueError) as err:
        check_kustomization_set([k("name=apps", "dependsOn=infra")], "cfg")
    assert "depends on 'infra', which is not a kustomization of this configuration (known: apps)" in str(err.value)


def test_set_rejects_duplicates_and_long_combined_names():
    with pytest.raises(InvalidArgumentValueError, match="defines the kustomization 'a' more than once"):
        check_kustomization_set([k("name=a"), k("name=a", "path=x")], "cfg")
    with pytest.raises(InvalidArgumentValueError, match="at most 62 characters"):
        check_kustomization_set([k("name=" + "k" * 40)], "c" * 30)


@pytest.mark.parametrize("graph, cycle", [
    ({"a": ["b"], "b": ["a"]}, "a -> b -> a"),
    ({"a": ["b"], "b": ["c"], "c": ["a"]}, "a -> b -> c -> a"),
    ({"x": [], "a": ["x", "b"], "b": ["a"]}, "a -> b -> a"),
])
def test_cycles_are_printed(graph, cycle):
    with pytest.raises(InvalidArgumentValueError) as err:
        check_dependency_graph(graph, "--kustomization")
    assert cycle in str(err.value)


def test_self_dependency():
    with pytest.raises(InvalidArgumentValueError, match=r"'a' depends on itself \(a -> a\)"):
        check_dependency_graph({"a": ["a"]})


def test_acyclic_graphs_pass():
    check_dependency_graph({"a": ["b", "c"], "b": ["c"], "c": []})
    check_dependency_graph({})


def test_focus_ignores_old_problems_elsewhere():
    graph = {"old": ["gone"], "x": ["y"], "y": ["x"], "new": ["old"]}
    check_dependency_graph(graph, focus=["new"])
    with pytest.raises(InvalidArgumentValueError, match="cycle"):
        check_dependency_graph(graph, focus=["x"])


def test_changes_against_existing():
    existing = {"infra": {"dependsOn": None}, "apps": {"dependsOn": ["infra"]}}
    check_kustomization_changes(existing, {"web": {"dependsOn": ["apps"]}})
    with pytest.raises(InvalidArgumentValueError, match="infra -> apps -> infra"):
        check_kustomization_changes(existing, {"infra": {"dependsOn": ["apps"]}})
    check_kustomization_changes(existing, {"apps": {"path": "./x"}})      # keeps ["infra"]
    with pytest.raises(InvalidArgumentValueError, match="'missing'"):
        check_kustomization_changes(existing, {"apps": {"dependsOn": ["missing"]}})
    with pytest.raises(InvalidArgumentValueError, match="cannot be removed because apps depend"):
        check_kustomization_changes(existing, {"infra": None})
    check_kustomization_changes(existing, {"apps": None})


# -- argparse action -------------------------------------------------------------------------
def _parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("-k", "--kustomization", nargs="+", action=KustomizationAddAction, dest="kustomization")
    return parser


def test_action_appends_one_body_per_occurrence():
    ns = _parser().parse_args(["-k", "name=a", "path=./a", "--kustomization", "name=b", "dependsOn=a"])
    assert ns.kustomization == [{"name": "a", "path": "./a"}, {"name": "b", "dependsOn": ["a"]}]
    assert _parser().parse_args([]).kustomization is None


def test_action_errors_are_az_errors_naming_the_option_used():
    with pytest.raises(RequiredArgumentMissingError, match="Every --kustomization needs name=NAME"):
        _parser().parse_args(["-k", "name=a", "--kustomization", "path=./b"])
    with pytest.raises(InvalidArgumentValueError, match="^-k has no key"):
        _parser().parse_args(["-k", "name=a", "bogus=1"])


def test_registry_accepts_new_keys():
    def example(result, value, label):
        key, _, val = value.partition("=")
        result.setdefault("example", {})[key] = val
    register_key("exampleKey", ("exkey",), example, repeatable=True)
    try:
        assert k("name=a", "exkey=env=prod", "exampleKey=x=1") == {
            "name": "a", "example": {"env": "prod", "x": "1"}}
    finally:
        unregister_key("exampleKey")
    assert "exampleKey" not in KEYS
    with pytest.raises(InvalidArgumentValueError):
        k("name=a", "exkey=env=prod")
