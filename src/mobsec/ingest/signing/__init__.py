"""APK signature verification (v1 JAR, v2, v3, v3.1; v4 reported absent).

Entry point: :func:`verify_apk_signatures`. The verdict answers "would ``apksigner
verify`` (and so Android) accept this APK for API levels min_sdk..max_sdk"; the report
also lists every signer, certificate and problem with stable codes.
"""

from .messages import MESSAGES, Issue
from .model import CertificateInfo, SchemeResult, SignerInfo, SigningReport
from .verifier import verify_apk_signatures

__all__ = [
    "MESSAGES",
    "CertificateInfo",
    "Issue",
    "SchemeResult",
    "SignerInfo",
    "SigningReport",
    "verify_apk_signatures",
]
