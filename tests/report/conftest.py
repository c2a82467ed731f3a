"""The Chromium page fixture of test_render_html, shared with the other report tests."""

from tests.report.test_render_html import page_of  # noqa: F401
