"""`flux wait -h` says what --compliant does: a Non-Compliant reading fails only when it lasts 2 minutes."""
import re


def test_flux_wait_help_describes_the_non_compliant_grace(run_az):
    res = run_az("k8s-configuration flux wait -h")
    assert res.exit_code == 0, res.stderr
    summary = re.sub(r"\s+", " ", res.stdout.split("Arguments")[0])
    assert "fails at once when provisioning failed" in summary
    assert "stays Non-Compliant for 2 minutes" in summary
    assert "fails at once, listing the objects that are not compliant, when the configuration is Non-Compliant" \
        not in summary
