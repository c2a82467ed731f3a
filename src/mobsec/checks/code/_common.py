"""Metadata shared by the code-area checks."""

from __future__ import annotations

GBT_CODE = ["5.2.1 代码安全 / code security"]
GBT_RESILIENCE = ["5.2.2 防逆向与防篡改 / anti-reverse-engineering and anti-tampering"]
CONTEXT = "Landroid/content/Context;"
