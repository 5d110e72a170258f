"""The channel's tests walk cases with the cases tests' helpers (a verified case, an adult's)."""

from integration.cases.conftest import Ways, ways  # noqa: F401
