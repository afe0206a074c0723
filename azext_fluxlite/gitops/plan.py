"""Read a kustomization path of a repository into a tree of Units: every file the build needs, checked.

This is the only place the build engine opens repository files.  Each path a kustomization names
(resources, bases, components, patches, patchesStrategicMerge, patchesJson6902, generator files and
env files, replacements, crds, configurations, generators, transformers, validators, openapi) is
checked to stay inside the repository, symlinks resolved, before anything reads it.  Resource files
are parsed once with their line numbers.  A directory without a kustomization file is treated as
Flux's kustomize-controller treats it: every Kubernetes YAML file below it is a resource, and a
subdirectory with its own kustomization file is built as a unit (`Unit.generated` lists them).

The built-in builder (builder.py) transforms the tree; the real kustomize builds a copy of the
repository in which the generated kustomization files are written (tool.py).
"""
import os

import yaml

from .documents import expand, load_file, parse
from .paths import BuildError, contained, inside, read_text, rel

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
RESOURCE_FIELDS = ("resources", "bases", "components")
# Fields whose entries are file paths (or, for generators/transformers/validators, inline YAML).
PATH_LIST_FIELDS = ("crds", "configurations", "generators", "transformers", "validators")
GENERATOR_FIELDS = ("configMapGenerator", "secretGenerator")


class Unit:
    """One directory of the build: its kustomization (or the one Flux would generate) and inputs."""

    def __init__(self, directory, kfile, data):
        self.directory = directory
        self.kfile = kfile          # repository-relative path, or None when generated
        self.data = data            # the kustomization mapping ({} when generated)
        self.resources = []         # Units and lists of Docs, in order
        self.patches = []           # (docs, source, target) in kustomize's order
        self.generated = []         # entries of the generated kustomization (relative to directory)

    def docs(self):
        """Every resource Doc of this unit and the units below it."""
        for item in self.resources:
            if isinstance(item, Unit):
                yield from item.docs()
            else:
                yield from item


def kustomization_file(directory):
    for name in KUSTOMIZATION_FILES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def target_directory(root, path):
    """The directory of kustomization path `path` (e.g. './apps/staging'), checked."""
    target = os.path.normpath(os.path.join(root, (path or "").lstrip("/") or "."))
    if not inside(root, target):
        raise BuildError("kustomization path '{}' points outside the repository".format(path))
    if not os.path.exists(target):
        raise BuildError("kustomization path not found: stat {}: no such file or directory".format(path or "./"))
    if not os.path.isdir(target):
        raise BuildError("kustomization path '{}' is not a directory".format(path))
    return target


def read(root, path):
    """The Unit tree of kustomization path `path` in the repository at `root`."""
    return _unit(root, target_directory(root, path), [], top=True)


def _unit(root, directory, stack, top=False):
    real = os.path.realpath(directory)
    if real in stack:
        raise BuildError("cycle detected: '{}' includes itself".format(rel(root, directory)))
    stack = stack + [real]
    kfile = kustomization_file(directory)
    if kfile is None:
        if not top:
            raise BuildError("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' "
                             "in directory '{}'".format(rel(root, directory)))
        unit = Unit(directory, None, {})
        _scan(root, directory, directory, unit, stack)
        return unit
    return _kustomization(root, directory, kfile, stack)


def _scan(root, base, directory, unit, stack):
    """Flux's generated kustomization: Kubernetes YAML files below `directory`, and kustomized subdirs."""
    for entry in sorted(os.listdir(directory)):
        full = os.path.join(directory, entry)
        if entry.startswith("."):
            continue
        if os.path.isdir(full):
            if not inside(root, full):
                raise BuildError("directory '{}' points outside the repository".format(rel(root, full)))
            if kustomization_file(full):
                unit.resources.append(_unit(root, full, stack))
                unit.generated.append(os.path.relpath(full, base))
            else:
                _scan(root, base, full, unit, stack)
        elif entry.endswith((".yaml", ".yml")):
            docs = expand(load_file(root, full), strict=False)
            if docs:
                unit.resources.append(docs)
                unit.generated.append(os.path.relpath(full, base))


def _kustomization(root, directory, kfile, stack):
    docs = parse(read_text(root, kfile, "kustomization"), rel(root, kfile), what="invalid kustomization")
    data = docs[0].obj if docs else {}
    if not isinstance(data, dict):
        raise BuildError("invalid kustomization {}: not a mapping".format(rel(root, kfile)), file=rel(root, kfile))
    unit = Unit(directory, rel(root, kfile), data)
    where = rel(root, kfile)
    for field in RESOURCE_FIELDS:
        for entry in _list(data, field, where):
            path = contained(root, directory, entry, "{} {}".format(where, field))
            if os.path.isdir(path):
                unit.resources.append(_unit(root, path, stack))
            elif os.path.isfile(path):      # `../file` inside the repository is allowed, as Flux allows it
                unit.resources.append(expand(load_file(root, path, field)))
            else:
                raise BuildError("{} {}: accumulating resources from '{}': open {}: no such file or directory"
                                 .format(where, field, entry, rel(root, path)), file=where)
    _patches(root, directory, data, unit, where)
    _other_paths(root, directory, data, where)
    return unit


def _list(data, field, where):
    entries = data.get(field) or []
    if not isinstance(entries, list):
        raise BuildError("invalid kustomization {}: '{}' must be a list".format(where, field), file=where)
    return entries


def _patch_docs(root, directory, item, field):
    """(docs, source) of a patch given as a file path or inline."""
    if isinstance(item, str) and "\n" not in item and not item.lstrip().startswith(("{", "[")):
        path = contained(root, directory, item, field)
        return parse(read_text(root, path, field), rel(root, path), what="invalid patch"), rel(root, path)
    text = item if isinstance(item, str) else yaml.safe_dump(item)
    return parse(text, "inline patch", what="invalid patch"), "inline patch in " + field.split(" ")[0]


def _patches(root, directory, data, unit, where):
    for item in _list(data, "patchesStrategicMerge", where):
        docs, source = _patch_docs(root, directory, item, where + " patchesStrategicMerge")
        unit.patches.append((docs, source, None))
    for item in _list(data, "patches", where):
        if not isinstance(item, dict) or not (item.get("path") or item.get("patch")):
            raise BuildError("invalid patches entry in {}: needs 'path' or 'patch'".format(where), file=where)
        docs, source = _patch_docs(root, directory, item.get("path") or item.get("patch"), where + " patches")
        unit.patches.append((docs, source, item.get("target")))
    for item in _list(data, "patchesJson6902", where):
        if not isinstance(item, dict) or not item.get("target") or not (item.get("path") or item.get("patch")):
            raise BuildError("invalid patchesJson6902 entry in {}: needs 'target' and 'path' or 'patch'".format(
                where), file=where)
        docs, source = _patch_docs(root, directory, item.get("path") or item.get("patch"),
                                   where + " patchesJson6902")
        unit.patches.append(([d for d in docs if isinstance(d.obj, list)] or docs, source, item["target"]))


def _check(root, directory, entry, field):
    path = contained(root, directory, entry, field)
    if not os.path.exists(path):
        raise BuildError("{}: '{}' not found".format(field, entry))
    return path


def _other_paths(root, directory, data, where):
    """Containment of every other field that names files (kustomize reads them itself)."""
    if data.get("helmCharts") or data.get("helmChartInflationGenerator"):
        raise BuildError("{}: helmCharts need the network and `--enable-helm`, which Flux does not use; use a "
                         "HelmRelease instead".format(where), file=where)
    for field in GENERATOR_FIELDS:
        for gen in _list(data, field, where):
            if not isinstance(gen, dict):
                continue
            for entry in gen.get("files") or []:
                _check(root, directory, str(entry).split("=", 1)[-1], "{} {}".format(where, field))
            envs = list(gen.get("envs") or []) + ([gen["env"]] if gen.get("env") else [])
            for entry in envs:
                _check(root, directory, entry, "{} {}".format(where, field))
    for item in _list(data, "replacements", where):
        if isinstance(item, dict) and item.get("path"):
            _check(root, directory, item["path"], where + " replacements")
    for field in PATH_LIST_FIELDS:
        for entry in _list(data, field, where):
            if isinstance(entry, str) and "\n" not in entry:
                path = contained(root, directory, entry, "{} {}".format(where, field))
                if os.path.isdir(path):
                    _unit(root, path, [])
    openapi = data.get("openapi")
    if isinstance(openapi, dict) and openapi.get("path"):
        _check(root, directory, openapi["path"], where + " openapi")
