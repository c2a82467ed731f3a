"""Metadata shared by the crypto checks (standards areas, OWASP/MASVS groups)."""

from __future__ import annotations

GBT_CRYPTO = "5.4.4 密码算法安全 / cryptographic algorithms"
GBT_STORAGE = "5.4.3 数据存储安全 / data storage"
MASVS_CRYPTO_ALGORITHMS = "MASVS-CRYPTO-1"  # strong, current cryptography used properly
MASVS_CRYPTO_KEYS = "MASVS-CRYPTO-2"  # key management
OWASP_CRYPTO = "M10"
