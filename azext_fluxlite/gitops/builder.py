"""The built-in kustomize builder: the fallback when neither `kustomize` nor `kubectl` is installed.

It transforms a Unit tree (plan.py: every file already read and checked) the way kustomize would:
resources, bases and components in order, then patchesStrategicMerge / patches / patchesJson6902,
namespace, namePrefix and nameSuffix.  Anything else (generators, replacements, images, labels,
...) is not imitated: the build fails with a message that says to install kubectl or kustomize,
rather than produce objects that differ from what the cluster gets.
"""
import copy

from .paths import BuildError
from .plan import Unit

CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
                  "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
                  "APIService", "IngressClass", "RuntimeClass", "CSIDriver", "Node", "ClusterIssuer"}
SUPPORTED = {"apiVersion", "kind", "metadata", "resources", "bases", "components", "patches", "patchesStrategicMerge",
             "patchesJson6902", "namespace", "namePrefix", "nameSuffix", "sortOptions"}


def build_unit(unit):
    """The objects of a Unit tree (fresh copies)."""
    unsupported = sorted(k for k in unit.data if k not in SUPPORTED)
    if unsupported:
        raise BuildError("{} uses {}, which fluxlite's built-in builder does not imitate: install kubectl or "
                         "kustomize to build it as the cluster does".format(unit.kfile, ", ".join(unsupported)),
                         file=unit.kfile)
    objects = []
    for item in unit.resources:
        if isinstance(item, Unit):
            objects += build_unit(item)
        else:
            objects += [copy.deepcopy(d.obj) for d in item]
    _dedupe(objects)
    for docs, source, target in unit.patches:
        _apply_patch_docs([d.obj for d in docs], source, target, objects)
    _apply_names(unit.data, objects)
    return objects


def _identity(obj):
    meta = obj.get("metadata") or {}
    return (obj.get("kind"), meta.get("namespace"), meta.get("name"))


def _dedupe(objects):
    seen = set()
    for obj in objects:
        ident = _identity(obj)
        if ident in seen:
            raise BuildError("may not add resource with an already registered id: {}/{}{}".format(
                ident[0], (ident[1] + "/") if ident[1] else "", ident[2]))
        seen.add(ident)
    return objects


def _strategic_merge(target, patch):
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _strategic_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _pointer(path):
    return [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")] if path else []


def _json6902(obj, ops, source):
    for op in ops:
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "remove"):
            raise BuildError("unsupported JSON6902 operation in {}: {}".format(source, op))
        parts = _pointer(op.get("path", ""))
        if not parts:
            raise BuildError("invalid JSON6902 path in {}".format(source))
        try:
            holder = obj
            for part in parts[:-1]:
                holder = holder[int(part)] if isinstance(holder, list) else holder.setdefault(part, {})
            last = parts[-1]
            if isinstance(holder, list):
                index = len(holder) if last == "-" else int(last)
                if op["op"] == "remove":
                    del holder[index]
                elif op["op"] == "add":
                    holder.insert(index, copy.deepcopy(op.get("value")))
                else:
                    holder[index] = copy.deepcopy(op.get("value"))
            elif op["op"] == "remove":
                if last not in holder:
                    raise BuildError("JSON6902 remove in {}: path {} does not exist".format(source, op.get("path")))
                del holder[last]
            else:
                holder[last] = copy.deepcopy(op.get("value"))
        except (ValueError, IndexError, TypeError, AttributeError):
            raise BuildError("JSON6902 {} in {}: path {} does not exist".format(
                op["op"], source, op.get("path"))) from None


def _matches(obj, target):
    meta = obj.get("metadata") or {}
    for field, value in (("kind", obj.get("kind")), ("name", meta.get("name")), ("namespace", meta.get("namespace"))):
        if target.get(field) and target[field] != value:
            return False
    selector = target.get("labelSelector")
    if selector:
        labels = meta.get("labels") or {}
        for term in str(selector).split(","):
            key, _, want = term.partition("=")
            if labels.get(key.strip()) != want.strip():
                return False
    return True


def _apply_patch_docs(docs, source, target, objects):
    for doc in docs:
        if isinstance(doc, list):
            hits = [o for o in objects if target and _matches(o, target)]
            if not hits:
                raise BuildError("no matches for target of JSON6902 patch {}".format(source))
            for obj in hits:
                _json6902(obj, doc, source)
            continue
        if not isinstance(doc, dict):
            raise BuildError("invalid patch {}".format(source))
        own = {"kind": doc.get("kind"), "name": (doc.get("metadata") or {}).get("name"),
               "namespace": (doc.get("metadata") or {}).get("namespace")}
        hits = [o for o in objects if _matches(o, target or own)]
        if not hits:
            raise BuildError("no matches for Id {}/{}; failed to find unique target for patch {}".format(
                own["kind"] or (target or {}).get("kind"), own["name"] or (target or {}).get("name"), source))
        for obj in hits:
            patch = copy.deepcopy(doc)
            if target:      # a patch applied by selector keeps the target's own identity
                patch.pop("metadata", None)
                patch.pop("kind", None)
                patch.pop("apiVersion", None)
            _strategic_merge(obj, patch)


def _apply_names(data, objects):
    namespace, prefix, suffix = data.get("namespace"), data.get("namePrefix") or "", data.get("nameSuffix") or ""
    for obj in objects:
        meta = obj.setdefault("metadata", {})
        if namespace and obj.get("kind") not in CLUSTER_SCOPED:
            meta["namespace"] = namespace
        if (prefix or suffix) and obj.get("kind") not in ("Namespace", "CustomResourceDefinition"):
            meta["name"] = "{}{}{}".format(prefix, meta.get("name"), suffix)


def build(root, path):
    """The objects of kustomization path `path` in the repository at `root`, built by this builder."""
    from .plan import read
    return build_unit(read(root, path))
