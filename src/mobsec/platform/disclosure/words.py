"""Words templates translate from a variable ({% translate q %}): listed so that
makemessages extracts them into this app's catalogue."""

from django.utils.translation import gettext_noop

WORDS = (
    gettext_noop("excellent"), gettext_noop("good"), gettext_noop("basic"),
    gettext_noop("title"), gettext_noop("description"), gettext_noop("impact"),
    gettext_noop("solution"), gettext_noop("mitigation"), gettext_noop("unrated"),
)  # fmt: skip
