"""Metadata and small helpers shared by the network checks."""

from __future__ import annotations

GBT_COMMUNICATION = ["5.4.2 通信安全 / communication"]
TRUST_MANAGER = "Ljavax/net/ssl/X509TrustManager;"
EXTENDED_TRUST_MANAGER = "Ljavax/net/ssl/X509ExtendedTrustManager;"
HOSTNAME_VERIFIER = "Ljavax/net/ssl/HostnameVerifier;"
WEBVIEW_CLIENT = "Landroid/webkit/WebViewClient;"
SSL_ERROR_HANDLER = "Landroid/webkit/SslErrorHandler;"
