"""`az fluxlite emulator env|login|stop`: the emulator helpers as az commands of the installed wheel."""


def test_env_prints_exports_of_the_running_emulator(az, emulator):
    res = az.run("fluxlite", "emulator", "env", "--data-dir", str(emulator.data_dir))
    assert "export REQUESTS_CA_BUNDLE=" in res.stdout
    assert "export IDENTITY_ENDPOINT=" in res.stdout and emulator.base_url.rstrip("/") in res.stdout


def test_env_without_a_running_emulator_says_how_to_start_one(installed_az, tmp_path):
    res = installed_az.run("fluxlite", "emulator", "env", "--data-dir", str(tmp_path), check=False)
    assert res.returncode != 0
    assert "no fluxlite emulator is running" in res.stderr and "start" in res.stderr
    assert "Traceback" not in res.stderr
