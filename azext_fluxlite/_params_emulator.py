"""Arguments (being written)."""


def load_emulator_arguments(loader):  # pylint: disable=unused-argument
    pass
