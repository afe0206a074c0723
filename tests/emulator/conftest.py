"""Fixtures of the emulator tests (helpers are in emulator_harness.py)."""
import pytest

from .emulator_harness import Emu, make_repo


@pytest.fixture
def emulator(tmp_path):
    emu = Emu(tmp_path / "data")
    yield emu
    emu.stop()


@pytest.fixture
def make_emulator(tmp_path):
    made = []

    def factory(**options):
        emu = Emu(tmp_path / "data{}".format(len(made)), **options)
        made.append(emu)
        return emu

    yield factory
    for emu in made:
        emu.stop()


@pytest.fixture
def example_repo(tmp_path):
    return make_repo(tmp_path / "gitops-repo")
