"""Clusters of the fleet end-to-end tests, created in the session emulator with tags."""
import os

import requests

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

RP = {"connectedClusters": "Microsoft.Kubernetes", "managedClusters": "Microsoft.ContainerService"}
TAG = "fleet-e2e"
# (resource group, type, name, tags): two groups, both types; f1..f6 sorted by id is this order.
CLUSTERS = [("fleet-rg-a", "connectedClusters", "f1", {"ring": "0"}),
            ("fleet-rg-a", "connectedClusters", "f2", {"ring": "1"}),
            ("fleet-rg-a", "managedClusters", "f3", {"ring": "1"}),
            ("fleet-rg-b", "connectedClusters", "f4", {"ring": "1"}),
            ("fleet-rg-b", "managedClusters", "f5", {"ring": "1"}),
            ("fleet-rg-b", "managedClusters", "f6", {"ring": "2"})]
NAME = "fleet-config"
APPLY = ["-n", NAME, "--namespace", "cluster-config", "-u", "https://github.com/Azure/gitops-flux2-kustomize-helm-mt",
         "-k", "name=infra", "path=./infrastructure", "prune=true",
         "-k", "name=apps", "path=./apps/staging", "prune=true", "dependsOn=infra"]


def cluster_id(emulator, rg, ctype, name):
    return "/subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}".format(
        emulator.subscription_id, rg, RP[ctype], ctype, name)


def create_clusters(emulator, clusters=CLUSTERS, tag_value="yes"):
    headers = {"Authorization": "Bearer " + emulator.token()}
    ids = []
    for rg, ctype, name, tags in clusters:
        cid = cluster_id(emulator, rg, ctype, name)
        res = requests.put(emulator.base_url + cid.lstrip("/"), params={"api-version": "2024-01-01"},
                           json={"location": "westeurope", "tags": dict(tags, **{TAG: tag_value})}, headers=headers,
                           verify=emulator.bundle, timeout=30)
        assert res.status_code in (200, 201), res.text
        ids.append(cid)
    return ids


def writes(emulator, since_requests):
    return [r for r in emulator.requests()[since_requests:] if r["method"] in ("PUT", "PATCH", "DELETE")]
