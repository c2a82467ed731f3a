"""Network checks: TLS validation in code, the network security config, cleartext traffic.

Every check here serves GB/T 34975-2017 5.4.2 (communication security), MASVS-NETWORK and
OWASP Mobile 2024 M5. Shared metadata and helpers live in :mod:`._common`.
"""
