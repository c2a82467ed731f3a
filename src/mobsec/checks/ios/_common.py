"""What the iOS checks share: typed access to the facts, plist excerpts as evidence."""

from __future__ import annotations

import json
from typing import Any

from mobsec.checks.context import CheckContext
from mobsec.facts.ios import IosFacts

GBT_COMMUNICATION = "5.4.2 通信安全 / communication"
GBT_CODE = "5.2.1 代码安全 / code security"
GBT_NATIVE = "5.2.3 本地代码安全 / native code"
GBT_RESILIENCE = "5.2.2 防逆向与防篡改 / anti-reverse-engineering and anti-tampering"
GBT_SIGNING = "5.3.1 安装包签名安全 / package signing"
GBT_DEBUGGING = "5.3.4 应用调试安全 / debugging"
GBT_COMPONENTS = "5.3.5 组件安全 / components and inter-process communication"
GBT_STORAGE = "5.4.3 数据存储安全 / data storage"
GBT_DATA = "5.4.1 数据安全 / data security"
GBT_CRYPTO = "5.4.4 密码算法安全 / cryptographic algorithms"
GBT_PERMISSIONS = "4.1 安全功能要求 / 权限使用 (permissions)"


def facts(ctx: CheckContext) -> IosFacts:
    f = ctx.facts
    assert isinstance(f, IosFacts), "ios.* checks run on IosFacts only"
    return f


def excerpt(key: str, value: Any) -> str:
    """``key = value`` as compact JSON, the evidence for an Info.plist finding."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return f"{key} = {text if len(text) <= 600 else text[:600] + '…'}"
