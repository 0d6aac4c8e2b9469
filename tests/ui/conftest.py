"""UI test fixtures: see tests/ui/harness.py."""

from tests.ui.harness import demo_template, demo_url, frozen_ui  # noqa: F401
