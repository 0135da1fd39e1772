"""Hypothesis settings for the generative tests (property tests and the OpenAPI contract run).

Profiles, chosen with CARE_WIDGETS_HYPOTHESIS=<name>:

- ``care-widgets-ci`` (the default where the CI variable is set): derandomized, so a
  submission's run is the same run every time. A CI failure is then reproducible by
  anyone and cannot appear once and vanish on the retry; new inputs come from
  developers' runs and from the examples written into the tests.
- ``care-widgets-dev`` (the default elsewhere): the same budget with a fresh random seed
  on every run, so each developer run explores inputs CI has not tried. A failure prints
  the seed and a ``@reproduce_failure`` blob.
- ``care-widgets-thorough``: twenty times the examples, for a long local hunt.

None of them has an example database, and Hypothesis's working folder (caches) lives in
the temporary directory, never in the checkout. HYPOTHESIS_STORAGE_DIRECTORY overrides it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

PROFILE_VARIABLE = "CARE_WIDGETS_HYPOTHESIS"
# Examples per property test; each is one to three requests through the test client.
EXAMPLES = 60

if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "care-widgets-hypothesis")

settings.register_profile(
    "care-widgets-ci",
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    # Requests vary in cost (a 20 kB query, a database write): time is bounded by the
    # example count, not by a per-example deadline that a busy 2-core machine would trip.
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "care-widgets-dev", settings.get_profile("care-widgets-ci"), derandomize=False
)
settings.register_profile(
    "care-widgets-thorough", settings.get_profile("care-widgets-dev"), max_examples=EXAMPLES * 20
)


def profile_name() -> str:
    """The profile this run uses: CARE_WIDGETS_HYPOTHESIS, else by whether CI is set."""
    default = "care-widgets-ci" if os.environ.get("CI") else "care-widgets-dev"
    return os.environ.get(PROFILE_VARIABLE) or default


settings.load_profile(profile_name())
