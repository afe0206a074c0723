"""The seed tutorial repository (examples/gitops-repo) and deliberately broken variants of it.

Each variant is a copy of the tutorial layout with one fault, plus the kustomizations (wire bodies,
as `-k` would give them) that show it.  Used by the build engine, `flux build` and emulator tests.
"""
import os
import shutil

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE_REPO = os.path.join(REPO_ROOT, "examples", "gitops-repo")
TUTORIAL_KUSTOMIZATIONS = {"infra": {"path": "./infrastructure", "prune": True},
                           "apps": {"path": "./apps/staging", "prune": True, "dependsOn": ["infra"]}}
TUTORIAL_ARGS = ["-k", "name=infra", "path=./infrastructure", "prune=true",
                 "-k", "name=apps", "path=./apps/staging", "prune=true", "dependsOn=infra"]
# The tutorial with post-build substitution on infra (Flux substitutes only with a postBuild).
SUBSTITUTING_KUSTOMIZATIONS = {"infra": {"path": "./infrastructure", "prune": True,
                                         "postBuild": {"substitute": {"cluster_env": "staging"}}},
                               "apps": {"path": "./apps/staging", "prune": True, "dependsOn": ["infra"]}}
SUBSTITUTING_ARGS = ["-k", "name=infra", "path=./infrastructure", "prune=true", "substitute=cluster_env=staging",
                     "-k", "name=apps", "path=./apps/staging", "prune=true", "dependsOn=infra"]


def write(root, rel, text):
    path = os.path.join(str(root), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def copy_tutorial(target):
    shutil.copytree(EXAMPLE_REPO, str(target))
    return str(target)


def bad_yaml(target):
    """infrastructure/redis.yaml has an unclosed flow sequence on line 9."""
    root = copy_tutorial(target)
    with open(os.path.join(root, "infrastructure", "redis.yaml"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    lines[8] = "  chart: [unclosed"
    write(root, "infrastructure/redis.yaml", "\n".join(lines) + "\n")
    return root


def undefined_helm_repository(target):
    """apps' podinfo HelmRelease points at HelmRepository 'podinfo-charts', which nothing defines."""
    root = copy_tutorial(target)
    path = os.path.join(root, "apps", "base", "podinfo", "release.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert "        name: podinfo\n" in text
    write(root, "apps/base/podinfo/release.yaml", text.replace("        name: podinfo\n", "        name: podinfo-charts\n"))
    return root


def unset_variable(target):
    """infrastructure/nginx.yaml uses ${ingress_replicas} with no default."""
    root = copy_tutorial(target)
    path = os.path.join(root, "infrastructure", "nginx.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    write(root, "infrastructure/nginx.yaml", text + "    replicaCount: ${ingress_replicas}\n")
    return root


MISSING_PATH_KUSTOMIZATIONS = {"infra": {"path": "./infrastructure"},
                               "apps": {"path": "./apps/qa", "dependsOn": ["infra"]}}
CYCLE_KUSTOMIZATIONS = {"infra": {"path": "./infrastructure", "dependsOn": ["apps"]},
                        "apps": {"path": "./apps/staging", "dependsOn": ["infra"]}}
