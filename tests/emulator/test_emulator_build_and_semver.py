"""Flux-style semver constraints and repository URL matching (the build engine is tested in tests/unit/test_gitops_*)."""
import pytest
from hypothesis import given, strategies as st

from azext_fluxlite.emulator import semver
from azext_fluxlite.emulator.gitsource import url_key


@pytest.mark.parametrize("constraint,expected", [
    (">=1.0.0 <2.0.0", "1.4.2"), ("~1.2", "1.2.9"), ("~1", "1.4.2"), ("^1.2.3", "1.4.2"), ("^0.2", "0.2.5"),
    ("1.2.x", "1.2.9"), ("*", "2.1.0"), ("1.2 - 1.3", "1.3.0"), (">1.2, <1.4", "1.3.0"), ("<1.0.0 || >=2.1", "2.1.0"),
    ("=1.2.0", "1.2.0"), (">=3", None), (">=2.2.0-rc.0", "2.2.0-rc.1"), ("!=2.1.0", "2.0.0"),
])
def test_semver_picks_the_highest_match(constraint, expected):
    tags = ["v0.2.5", "0.3.0", "v1.2.0", "v1.2.9", "v1.3.0", "v1.4.2", "v2.0.0", "v2.1.0", "v2.2.0-rc.1", "latest"]
    assert semver.best_match(constraint, tags) == (None if expected is None else next(
        t for t in tags if t.lstrip("v") == expected))


def test_invalid_constraints_are_errors():
    for text in ("", "abc", ">=x.y.z"):
        with pytest.raises(semver.ConstraintError):
            semver.Constraint(text)


@given(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)),
       st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)))
def test_semver_comparison_matches_tuple_order(a, b):
    va, vb = semver.Version(*a), semver.Version(*b)
    assert (va < vb) == (a < b)
    assert semver.Constraint(">={}.{}.{}".format(*b)).allows(va) == (a >= b)
    assert semver.Constraint("<{}.{}.{}".format(*b)).allows(va) == (a < b)


def test_repository_urls_match_across_spellings():
    key = url_key("https://github.com/Azure/gitops-flux2-kustomize-helm-mt")
    for spelling in ("https://github.com/azure/gitops-flux2-kustomize-helm-mt.git",
                     "https://github.com/Azure/gitops-flux2-kustomize-helm-mt/",
                     "ssh://git@github.com/Azure/gitops-flux2-kustomize-helm-mt.git",
                     "git@github.com:Azure/gitops-flux2-kustomize-helm-mt.git",
                     "https://user@github.com/Azure/gitops-flux2-kustomize-helm-mt"):
        assert url_key(spelling) == key, spelling
    assert url_key("https://github.com/Azure/other") != key
