"""Dapr: cluster scope only, no identity, existing releases, hooks.applyCrds on update."""
import pytest

from azext_fluxlite.core.errors import InvalidArgumentValueError
from azext_fluxlite.extension.partners import handler_for

from tests.unit.partner_fakes import FakePrompts, create_args, side_calls, update_args

DAPR = "microsoft.dapr"


def create(settings=None, ctype="managedClusters", prompts=None, **kwargs):
    args = create_args(DAPR, ctype, name=kwargs.pop("name", "dapr"), settings=settings, **kwargs)
    client, calls = side_calls()
    handler_for(DAPR).create(args, calls, prompts or FakePrompts())
    assert client.sent == []            # Dapr makes no side call
    return args


def test_namespace_scope_is_refused_naming_the_flag():
    with pytest.raises(InvalidArgumentValueError, match=r"^--scope: Invalid scope 'namespace'\. This extension can "
                                                        r"be installed only at 'cluster' scope\."):
        create({"skipExistingDaprCheck": "true"}, scope="namespace")


def test_skip_check_on_aks_defaults_namespace_train_and_adds_cluster_type():
    args = create({"skipExistingDaprCheck": "true"})
    assert (args.name, args.scope, args.release_namespace, args.release_train) == (
        "dapr", "cluster", "dapr-system", "stable")
    assert args.create_identity is False
    assert args.settings == {"skipExistingDaprCheck": "true", "global.clusterType": "managedclusters"}


def test_arc_cluster_gets_no_cluster_type_setting():
    args = create({"skipExistingDaprCheck": "true"}, ctype="connectedClusters")
    assert "global.clusterType" not in args.settings


def test_skip_check_must_be_exactly_lower_case_true():
    with pytest.raises(AssertionError, match="unexpected question: Is Dapr already installed"):
        create({"skipExistingDaprCheck": "True"})


def test_existing_release_becomes_the_extension_name(caplog):
    args = create({"existingDaprReleaseName": "dapr-old", "existingDaprReleaseNamespace": "old-ns"}, name="mydapr")
    assert (args.name, args.release_namespace) == ("dapr-old", "old-ns")
    assert args.settings["global.ha.enabled"] == "false"
    assert "already installed" in caplog.text


def test_only_one_existing_setting_warns_and_asks(caplog):
    prompts = FakePrompts(yes_no=False)
    args = create({"existingDaprReleaseName": "dapr-old"}, prompts=prompts)
    assert "Only one of them is specified, ignoring." in caplog.text
    assert prompts.asked == ["Is Dapr already installed in the cluster?"]
    assert args.name == "dapr" and "global.ha.enabled" not in args.settings


def test_prompted_existing_release_uses_the_answers():
    prompts = FakePrompts(yes_no=True, texts=["", "dapr-ns"])
    args = create({}, prompts=prompts)
    assert (args.name, args.release_namespace) == ("dapr", "dapr-ns")
    assert args.settings["global.ha.enabled"] == "false"


@pytest.mark.parametrize("original, given, expected", [
    ({"autoUpgradeMinorVersion": True, "version": None}, {}, "false"),
    ({"autoUpgradeMinorVersion": True}, {"auto_upgrade_minor_version": True}, "true"),
    ({"autoUpgradeMinorVersion": False, "version": "1.6.0"}, {"version": "1.5.0"}, "false"),
    ({"autoUpgradeMinorVersion": False, "version": "1.6.0"}, {"version": "1.6.0"}, "false"),
    ({"autoUpgradeMinorVersion": False, "version": "1.6.0"}, {"version": "1.7.0"}, "true"),
    ({"autoUpgradeMinorVersion": False, "version": "1.6.0"}, {"version": "latest"}, "false"),
    ({"autoUpgradeMinorVersion": False}, {"release_train": "dev"}, "true"),
])
def test_update_sets_apply_crds(original, given, expected):
    args = update_args(dict(original, extensionType=DAPR), **given)
    _, calls = side_calls()
    handler_for(DAPR).update(args, calls, FakePrompts())
    assert args.settings == {"hooks.applyCrds": expected}


def test_update_keeps_the_users_apply_crds():
    args = update_args({"autoUpgradeMinorVersion": True}, settings={"hooks.applyCrds": "true"})
    handler_for(DAPR).update(args, side_calls()[1], FakePrompts())
    assert args.settings == {"hooks.applyCrds": "true"}
