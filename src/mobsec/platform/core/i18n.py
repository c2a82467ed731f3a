"""Messages that templates translate from a variable ({% translate f.severity %}): listed
here so that makemessages extracts them."""

from django.utils.translation import gettext_noop

WORDS = (
    gettext_noop("critical"), gettext_noop("high"), gettext_noop("medium"), gettext_noop("low"),
    gettext_noop("info"), gettext_noop("queued"), gettext_noop("running"), gettext_noop("done"),
    gettext_noop("failed"), gettext_noop("cancelled"),
)  # fmt: skip
