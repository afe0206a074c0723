"""Test-wide setup.

In-process command tests run the real azure-cli core with fluxlite loaded the way az loads a
developer extension (`extension.dev_sources`).  az reads its configuration directory when it is
first imported, so a private AZURE_CONFIG_DIR is set up here, before any test imports azure.cli.
"""
import os
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_config_dir = tempfile.mkdtemp(prefix="fluxlite-az-")
_dev_root = os.path.join(_config_dir, "devext")
_ext_dir = os.path.join(_dev_root, "fluxlite")
os.makedirs(os.path.join(_ext_dir, "fluxlite.egg-info"))
os.symlink(os.path.join(REPO, "azext_fluxlite"), os.path.join(_ext_dir, "azext_fluxlite"))
with open(os.path.join(_ext_dir, "fluxlite.egg-info", "PKG-INFO"), "w", encoding="utf-8") as f:
    f.write("Metadata-Version: 2.1\nName: fluxlite\nVersion: 0.0.0.dev0\n")
with open(os.path.join(_config_dir, "config"), "w", encoding="utf-8") as f:
    f.write("[extension]\ndev_sources = {}\n[core]\ncollect_telemetry = no\nno_color = true\n"
            "only_show_errors = false\n".format(_dev_root))

os.environ["AZURE_CONFIG_DIR"] = _config_dir
os.environ.pop("AZURE_EXTENSION_DIR", None)
os.environ["AZURE_CORE_COLLECT_TELEMETRY"] = "no"
os.environ["AZURE_CORE_NO_COLOR"] = "true"
if REPO not in sys.path:
    sys.path.insert(0, REPO)
