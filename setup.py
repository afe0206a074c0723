#!/usr/bin/env python
"""fluxlite: a drop-in replacement for `az k8s-configuration flux` and `az k8s-extension`."""
from setuptools import setup, find_packages

VERSION = "0.2.0"

CLASSIFIERS = [
    "Development Status :: 4 - Beta",
    "Intended Audience :: Developers",
    "Intended Audience :: System Administrators",
    "Programming Language :: Python",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3.9",
    "Programming Language :: Python :: 3.10",
    "Programming Language :: Python :: 3.11",
    "Programming Language :: Python :: 3.12",
    "License :: OSI Approved :: MIT License",
]

# azure-cli-core, knack, azure-core, requests and cryptography come with az itself.
# Only what az does not ship is declared here; `az extension add` installs it.
DEPENDENCIES = [
    "azure-mgmt-kubernetesconfiguration-fluxconfigurations>=1.0.0",
    "azure-mgmt-kubernetesconfiguration-extensions>=1.0.0",
    "PyYAML>=5.4",
]

with open("README.md", "r", encoding="utf-8") as f:
    README = f.read()
with open("HISTORY.rst", "r", encoding="utf-8") as f:
    HISTORY = f.read()

setup(
    name="fluxlite",
    version=VERSION,
    description="Drop-in replacement for `az k8s-configuration flux` and `az k8s-extension` (GitOps with Flux v2).",
    long_description=README + "\n\n" + HISTORY,
    long_description_content_type="text/markdown",
    license="MIT",
    author="fluxlite developers",
    url="https://example.invalid/fluxlite",
    classifiers=CLASSIFIERS,
    packages=find_packages(exclude=["tests", "tests.*"]),
    python_requires=">=3.9",
    install_requires=DEPENDENCIES,
    package_data={
        "azext_fluxlite": ["azext_metadata.json"],
        # The official Flux 2.6 CRDs (Apache-2.0) that `flux build` and the emulator check objects against.
        "azext_fluxlite.gitops": ["crds/*.yaml"],
    },
)
