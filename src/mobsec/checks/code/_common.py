"""Metadata shared by the code-area checks, and small code queries they all use."""

from __future__ import annotations

from collections import deque

from mobsec.checks.context import CheckContext

GBT_CODE = ["5.2.1 代码安全 / code security"]
GBT_RESILIENCE = ["5.2.2 防逆向与防篡改 / anti-reverse-engineering and anti-tampering"]
MAX_SUBTYPES = 20_000

CONTEXT_ROOTS = (
    "Landroid/content/Context;",
    "Landroid/content/ContextWrapper;",
    "Landroid/view/ContextThemeWrapper;",
    "Landroid/app/Activity;",
    "Landroid/app/Application;",
    "Landroid/app/Service;",
)


def context_classes(ctx: CheckContext) -> list[str]:
    """Framework Context classes and every app class below them (a call to
    ``this.createPackageContext`` names the app's own class in the method id)."""
    seen = dict.fromkeys(CONTEXT_ROOTS)
    queue = deque(CONTEXT_ROOTS)
    while queue and len(seen) < MAX_SUBTYPES:
        for sub in ctx.code.subclasses(queue.popleft()):
            if sub not in seen:
                seen[sub] = None
                queue.append(sub)
    return list(seen)
