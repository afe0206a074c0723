"""Build a kustomization path of a checked-out repository into Kubernetes objects, as kustomize would.

A directory with a kustomization.yaml (or .yml, or Kustomization) is built from its `resources`
(and the older `bases`, and `components`): files are read as YAML documents, directories are
built recursively (they need their own kustomization file; `../` bases are fine as long as they
stay inside the repository), then `patches` / `patchesStrategicMerge` / `patchesJson6902`,
`namespace`, `namePrefix` and `nameSuffix` are applied.  A directory without one is treated the
way Flux's kustomize-controller treats it: every YAML file below it is included, and a
subdirectory that has its own kustomization file is built as a unit.

Failures raise BuildError with a kustomize-style message.  Remote resources are refused: the
emulator has no network.
"""
import copy
import os

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
                  "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
                  "APIService", "IngressClass", "RuntimeClass", "CSIDriver", "Node", "ClusterIssuer"}


class BuildError(Exception):
    pass


def _rel(root, path):
    rel = os.path.relpath(path, root)
    return "." if rel == "." else rel


def _inside(root, path):
    root, path = os.path.realpath(root), os.path.realpath(path)
    return path == root or path.startswith(root + os.sep)


def kustomization_file(directory):
    for name in KUSTOMIZATION_FILES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def _read_yaml(root, path):
    """The non-empty YAML documents of a file; BuildError when it cannot be read or decoded."""
    try:
        with open(path, encoding="utf-8") as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
    except yaml.YAMLError as exc:
        raise BuildError("failed to decode Kubernetes YAML from {}: {}".format(
            _rel(root, path), str(exc).replace("\n", " "))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError("failed to read {}: {}".format(_rel(root, path), exc)) from None
    return docs


def load_documents(root, path):
    """Objects in a YAML file (List kinds expanded); BuildError on invalid YAML."""
    return _objects(root, path, _read_yaml(root, path))


def _objects(root, path, docs):
    """The Kubernetes objects of `path`'s documents; BuildError when one is not an object."""
    objects = []
    for doc in docs:
        if not isinstance(doc, dict):
            raise BuildError("failed to decode Kubernetes YAML from {}: not a Kubernetes object".format(_rel(root, path)))
        if doc.get("kind") == "List" and isinstance(doc.get("items"), list):
            objects.extend(i for i in doc["items"] if isinstance(i, dict))
        else:
            objects.append(doc)
    for obj in objects:
        if not obj.get("kind") or not obj.get("apiVersion") or not (obj.get("metadata") or {}).get("name"):
            raise BuildError("missing Resource metadata in {}: every object needs apiVersion, kind and metadata.name"
                             .format(_rel(root, path)))
    return objects


def build(root, path):
    """Objects of kustomization path `path` (e.g. './apps/staging') in the checkout at `root`."""
    target = os.path.normpath(os.path.join(root, (path or "").lstrip("/") or "."))
    if not _inside(root, target):
        raise BuildError("kustomization path '{}' points outside the repository".format(path))
    if not os.path.exists(target):
        raise BuildError("kustomization path not found: stat {}: no such file or directory".format(path or "./"))
    if not os.path.isdir(target):
        raise BuildError("kustomization path '{}' is not a directory".format(path))
    return _build_dir(root, target, [], auto=True)


def _build_dir(root, directory, stack, auto=False):
    if os.path.realpath(directory) in stack:
        raise BuildError("cycle detected: '{}' includes itself".format(_rel(root, directory)))
    stack = stack + [os.path.realpath(directory)]
    kfile = kustomization_file(directory)
    if kfile is not None:
        return _build_kustomization(root, directory, kfile, stack)
    if not auto:
        raise BuildError("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in "
                         "directory '{}'".format(_rel(root, directory)))
    return _generated(root, directory, stack)


def _generated(root, directory, stack):
    objects = []
    for entry in sorted(os.listdir(directory)):
        full = os.path.join(directory, entry)
        if entry.startswith("."):
            continue
        if os.path.isdir(full):
            if kustomization_file(full):
                objects += _build_dir(root, full, stack)
            else:
                objects += _generated(root, full, stack)
        elif entry.endswith((".yaml", ".yml")):
            docs = [d for d in _load_loose(root, full)]
            objects += docs
    return _dedupe(objects)


def _load_loose(root, path):
    """Like load_documents, but files that are not Kubernetes objects are skipped (as Flux does)."""
    docs = _read_yaml(root, path)
    if not all(isinstance(d, dict) and d.get("apiVersion") and d.get("kind") for d in docs):
        return []
    return _objects(root, path, docs)


def _load_kustomization(root, kfile):
    try:
        with open(kfile, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
    except yaml.YAMLError as exc:
        raise BuildError("invalid kustomization {}: {}".format(_rel(root, kfile), str(exc).replace("\n", " "))) from None
    if not isinstance(data, dict):
        raise BuildError("invalid kustomization {}: not a mapping".format(_rel(root, kfile)))
    return data


def _build_kustomization(root, directory, kfile, stack):
    data = _load_kustomization(root, kfile)
    objects = []
    for field in ("resources", "bases", "components"):
        entries = data.get(field) or []
        if not isinstance(entries, list):
            raise BuildError("invalid kustomization {}: '{}' must be a list".format(_rel(root, kfile), field))
        for entry in entries:
            objects += _resource(root, directory, str(entry), stack)
    objects = _dedupe(objects)
    _apply_patches(root, directory, data, objects)
    _apply_names(data, objects)
    return objects


def _resource(root, directory, entry, stack):
    if "://" in entry or entry.startswith(("github.com/", "gitlab.com/", "git@", "bitbucket.org/")):
        raise BuildError("accumulating resources from '{}': remote resources cannot be fetched by the fluxlite "
                         "emulator (no network)".format(entry))
    path = os.path.normpath(os.path.join(directory, entry))
    if not _inside(root, path):
        raise BuildError("accumulating resources from '{}': path is outside the repository".format(entry))
    if os.path.isdir(path):
        return _build_dir(root, path, stack)
    if os.path.isfile(path):
        if not _inside(directory, path):
            raise BuildError("security; file '{}' is not in or below '{}'".format(
                _rel(root, path), _rel(root, directory)))
        return load_documents(root, path)
    raise BuildError("accumulating resources: accumulation err='accumulating resources from '{}': open {}: no such "
                     "file or directory'".format(entry, _rel(root, path)))


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
        holder = obj
        for part in parts[:-1]:
            holder = holder[int(part)] if isinstance(holder, list) else holder.setdefault(part, {})
        last = parts[-1]
        if isinstance(holder, list):
            index = len(holder) if last == "-" else int(last)
            if op["op"] == "remove":
                del holder[index]
            elif op["op"] == "add":
                holder.insert(index, op.get("value"))
            else:
                holder[index] = op.get("value")
        elif op["op"] == "remove":
            if last not in holder:
                raise BuildError("JSON6902 remove in {}: path {} does not exist".format(source, op.get("path")))
            del holder[last]
        else:
            holder[last] = copy.deepcopy(op.get("value"))


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


def _patch_content(root, directory, item, source_kind):
    if isinstance(item, str) and "\n" not in item and not item.lstrip().startswith(("{", "[")):
        path = os.path.normpath(os.path.join(directory, item))
        if not os.path.isfile(path):
            raise BuildError("{}: patch file '{}' not found".format(source_kind, item))
        with open(path, encoding="utf-8") as f:
            text = f.read()
        source = _rel(root, path)
    else:
        text, source = item if isinstance(item, str) else yaml.safe_dump(item), "inline patch"
    try:
        return list(d for d in yaml.safe_load_all(text) if d is not None), source
    except yaml.YAMLError as exc:
        raise BuildError("invalid patch {}: {}".format(source, str(exc).replace("\n", " "))) from None


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


def _apply_patches(root, directory, data, objects):
    for item in data.get("patchesStrategicMerge") or []:
        docs, source = _patch_content(root, directory, item, "patchesStrategicMerge")
        _apply_patch_docs(docs, source, None, objects)
    for item in data.get("patches") or []:
        if not isinstance(item, dict) or not (item.get("path") or item.get("patch")):
            raise BuildError("invalid patches entry {}: needs 'path' or 'patch'".format(item))
        docs, source = _patch_content(root, directory, item.get("path") or item.get("patch"), "patches")
        _apply_patch_docs(docs, source, item.get("target"), objects)
    for item in data.get("patchesJson6902") or []:
        if not isinstance(item, dict) or not item.get("target"):
            raise BuildError("invalid patchesJson6902 entry {}".format(item))
        docs, source = _patch_content(root, directory, item.get("path") or item.get("patch") or "", "patchesJson6902")
        _apply_patch_docs([d if isinstance(d, list) else [] for d in docs], source, item["target"], objects)


def _apply_names(data, objects):
    namespace, prefix, suffix = data.get("namespace"), data.get("namePrefix") or "", data.get("nameSuffix") or ""
    for obj in objects:
        meta = obj.setdefault("metadata", {})
        if namespace and obj.get("kind") not in CLUSTER_SCOPED:
            meta["namespace"] = namespace
        if (prefix or suffix) and obj.get("kind") not in ("Namespace", "CustomResourceDefinition"):
            meta["name"] = "{}{}{}".format(prefix, meta.get("name"), suffix)
