"""Test-wide setup.

In-process command tests run the real azure-cli core with fluxlite loaded the way az loads a
developer extension (`extension.dev_sources`).  az reads its configuration directory when it is
first imported, so a private AZURE_CONFIG_DIR is set up here, before any test imports azure.cli.
"""
import os
import sys
import tempfile

import pytest

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


def pytest_configure(config):
    config.addinivalue_line("markers", "unchecked_export: the test renders exports of deliberately incomplete "
                                       "input, which the Flux CRDs and ARM schema cannot accept")


@pytest.fixture(autouse=True)
def _exports_meet_the_official_schemas(request, monkeypatch):
    """Every ARM template and Flux YAML export any test renders in this process (dry-run or `flux
    export`, through az or directly) is validated against the official schemas (tests/export_schemas.py);
    a refused export fails the test even when the command swallowed the error."""
    if request.node.get_closest_marker("unchecked_export"):
        yield
        return
    from azext_fluxlite.flux.export import flux_yaml, templates
    refused = []

    def checked(render, check):
        def run(*args, **kwargs):
            text = render(*args, **kwargs)
            from tests import export_schemas
            try:
                getattr(export_schemas, check)(text)
            except AssertionError as exc:
                refused.append(str(exc))
                raise
            return text
        return run

    monkeypatch.setattr(templates, "arm_template", checked(templates.arm_template, "arm_resources"))
    monkeypatch.setattr(flux_yaml, "flux_yaml", checked(flux_yaml.flux_yaml, "flux_objects"))
    yield
    if refused:
        pytest.fail("an export the official schemas refuse:\n" + "\n".join(refused), pytrace=False)
