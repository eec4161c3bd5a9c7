"""The code execution sandbox: runs candidates' untrusted Python and JavaScript against test cases.

A plain package, not a Django app, so it can run on a separate, locked-down worker machine.
"""

from domain.verdicts import VERDICTS
from sandbox.isolation import detect_isolation, warn_if_degraded
from sandbox.limits import Limits
from sandbox.runner import LANGUAGES, run_submission

__all__ = ["LANGUAGES", "VERDICTS", "Limits", "detect_isolation", "run_submission", "warn_if_degraded"]
