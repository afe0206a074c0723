"""Which kustomize builds: `kustomize build`, else `kubectl kustomize`, else the built-in builder.

FLUXLITE_KUSTOMIZE picks one explicitly: `builtin`, `kubectl`, `kustomize`, or the path of either
binary.  The real tool builds a private copy of the repository (never the user's tree): the
kustomization files Flux would generate are written into the copy, the symlinks were checked by
the engine first, and kustomize runs with `--load-restrictor LoadRestrictionsRootOnly` (its
default, passed explicitly), so it cannot read files outside the kustomization's directory.

Flux itself builds with no load restriction inside the repository: a kustomization may name a file
by `../` as long as it stays in the repository.  To build those as Flux does while kustomize keeps
its own guard, each such file (checked by `paths.contained`, symlinks resolved) is copied into the
kustomization's directory of the copy (`.fluxlite-outside/N/<same name>`: generator keys stay the
file name) and the copy's kustomization names the copy.
"""
import os
import re
import shutil
import subprocess
import tempfile

import yaml

from .builder import build_unit
from .paths import BuildError, contained, inside

TIMEOUT = 120
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Tool:
    """A kustomize implementation: `name` for messages, `argv` (None for the built-in builder)."""

    def __init__(self, name, argv=None):
        self.name, self.argv = name, argv

    @property
    def builtin(self):
        return self.argv is None

    def describe(self):
        if self.builtin:
            return "fluxlite's built-in kustomize builder (install kubectl or kustomize to build exactly as Flux does)"
        return "{} ({})".format(" ".join([os.path.basename(self.argv[0])] + self.argv[1:]), self.argv[0])


BUILTIN = Tool("builtin")


def detect(env=None):
    """The Tool to use (FLUXLITE_KUSTOMIZE, else kustomize, else kubectl, else the built-in builder)."""
    env = os.environ if env is None else env
    choice = (env.get("FLUXLITE_KUSTOMIZE") or "").strip()
    if choice == "builtin":
        return BUILTIN
    path = env.get("PATH")
    if choice:
        found = shutil.which(choice, path=path)
        if not found:
            raise ValueError("FLUXLITE_KUSTOMIZE={}: no such program; use builtin, kubectl, kustomize or a path to "
                             "one of them".format(choice))
        return _tool_for(found)
    for program in ("kustomize", "kubectl"):
        found = shutil.which(program, path=path)
        if found:
            return _tool_for(found)
    return BUILTIN


def _tool_for(path):
    if os.path.basename(path).startswith("kubectl"):
        return Tool("kubectl", [path, "kustomize"])
    return Tool("kustomize", [path, "build"])


class Workspace:
    """A private copy of a repository for the real kustomize (a context manager)."""

    def __init__(self, root):
        self.root = root
        self.tmp = None
        self.copy = None

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix="fluxlite-build-")
        self.copy = os.path.join(self.tmp, "repo")
        shutil.copytree(self.root, self.copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def mirror(self, path):
        return os.path.join(self.copy, os.path.relpath(path, self.root))


def build(tool, unit, workspace=None):
    """[(object, its YAML text or None)] of a Unit tree (plan.read) built with `tool`; BuildError on failure."""
    if tool.builtin:
        return [(obj, None) for obj in build_unit(unit)]
    _write_generated(unit, workspace)
    directory = workspace.mirror(unit.directory)
    argv = tool.argv + ["--load-restrictor", "LoadRestrictionsRootOnly", directory]
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, cwd=workspace.tmp,
                              env=dict(os.environ, KUSTOMIZE_PLUGIN_HOME=os.path.join(workspace.tmp, "no-plugins")))
    except subprocess.TimeoutExpired:
        raise BuildError("{} timed out after {} s".format(tool.name, TIMEOUT)) from None
    except OSError as exc:
        raise BuildError("{} could not run: {}".format(tool.name, exc)) from None
    if proc.returncode != 0:
        raise BuildError(_message(proc.stderr.decode("utf-8", "replace"), workspace))
    out = []
    for text in _DOC_SEPARATOR.split(proc.stdout.decode("utf-8", "replace")):
        try:
            obj = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            raise BuildError("{} produced output that is not YAML: {}".format(tool.name, exc)) from None
        if isinstance(obj, dict):
            out.append((obj, text))
    return out


def _write_generated(unit, workspace):
    """Write the kustomization Flux generates for each directory without one, into the copy."""
    from .plan import Unit
    if unit.kfile is not None:
        _bring_in(unit, workspace)
    if unit.kfile is None:
        path = os.path.join(workspace.mirror(unit.directory), "kustomization.yaml")
        if not os.path.exists(path):
            body = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                    "resources": [e.replace(os.sep, "/") for e in unit.generated]}
            with open(path, "w", encoding="utf-8") as f:
                yaml.safe_dump(body, f, sort_keys=False)
    for item in unit.resources:
        if isinstance(item, Unit):
            _write_generated(item, workspace)


OUTSIDE = ".fluxlite-outside"


def _bring_in(unit, workspace):
    """Rewrite, in the copy, the file entries of `unit` that leave its directory but not the repository."""
    data = unit.data
    root, directory = workspace.root, unit.directory
    copies = []

    def local(entry, field):
        if not isinstance(entry, str) or "\n" in entry or entry.lstrip().startswith(("{", "[")):
            return entry
        source = contained(root, directory, entry, field)     # BuildError when it leaves the repository
        if inside(directory, source) or not os.path.isfile(source):
            return entry                                       # kustomize reads it (or refuses) itself
        real = os.path.realpath(source)
        if not inside(root, real):
            raise BuildError("{}: '{}' points outside the repository".format(field, entry))
        name = "{}/{}/{}".format(OUTSIDE, len(copies), os.path.basename(source))
        copies.append((real, name))
        return name

    def keyed(entry, field):
        if "=" not in str(entry):
            return local(entry, field)
        key, path = str(entry).split("=", 1)
        return key + "=" + local(path, field)

    new = {}
    for field, value in data.items():
        if field in ("resources", "bases", "components", "patchesStrategicMerge", "crds", "configurations",
                     "generators", "transformers", "validators") and isinstance(value, list):
            value = [local(e, field) for e in value]
        elif field in ("patches", "patchesJson6902", "replacements") and isinstance(value, list):
            value = [dict(e, path=local(e["path"], field)) if isinstance(e, dict) and e.get("path") else e
                     for e in value]
        elif field in ("configMapGenerator", "secretGenerator") and isinstance(value, list):
            value = [_generator(g, local, keyed, field) for g in value]
        elif field == "openapi" and isinstance(value, dict) and value.get("path"):
            value = dict(value, path=local(value["path"], field))
        new[field] = value
    if not copies:
        return
    target = workspace.mirror(directory)
    for real, name in copies:
        dest = os.path.join(target, *name.split("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(real, dest)
    kfile = workspace.mirror(os.path.join(root, unit.kfile))
    os.unlink(kfile)                                           # never write through a link of the copy
    with open(kfile, "w", encoding="utf-8") as f:
        yaml.safe_dump(new, f, sort_keys=False)


def _generator(gen, local, keyed, field):
    if not isinstance(gen, dict):
        return gen
    gen = dict(gen)
    if isinstance(gen.get("files"), list):
        gen["files"] = [keyed(e, field) for e in gen["files"]]
    if isinstance(gen.get("envs"), list):
        gen["envs"] = [local(e, field) for e in gen["envs"]]
    if gen.get("env"):
        gen["env"] = local(gen["env"], field)
    return gen


_DOC_SEPARATOR = re.compile(r"^---[ \t]*$", re.M)
_KUBECTL_LOG = re.compile(r"^[EWI]\d{4} [\d:.]+\s+\d+ \S+\] \"command failed\" err=<\s*(.*?)\s*>\s*$", re.S)
_KUBECTL_LOG_QUOTED = re.compile(r'^[EWI]\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err="(.*)"\s*$', re.S)


def _message(stderr, workspace):
    text = stderr.strip()
    m = _KUBECTL_LOG.match(text) or _KUBECTL_LOG_QUOTED.match(text)
    if m:
        text = m.group(1).replace('\\"', '"')
    text = re.sub(r"^(Error|error): ", "", text)
    for prefix in (workspace.copy + os.sep, workspace.copy, workspace.tmp + os.sep, workspace.tmp):
        text = text.replace(prefix, "" if prefix.endswith(os.sep) else ".")
    return " ".join(line.strip() for line in text.splitlines() if line.strip()) or "kustomize failed"
