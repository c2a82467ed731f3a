from tests.report.test_render_html import page_of  # noqa: F401
