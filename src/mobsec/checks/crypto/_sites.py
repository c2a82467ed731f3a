"""Call sites of the crypto APIs, with resolved argument values, shared by the checks."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.facts.values import Reached, ValueAnalysis, texts
from mobsec.ingest.dex import CodeSite

CIPHER = "Ljavax/crypto/Cipher;"
KEY_GENERATOR = "Ljavax/crypto/KeyGenerator;"
SECRET_KEY_FACTORY = "Ljavax/crypto/SecretKeyFactory;"
MESSAGE_DIGEST = "Ljava/security/MessageDigest;"
MAC = "Ljavax/crypto/Mac;"


def calls(ctx: CheckContext, class_desc: str, name: str) -> list[CodeSite]:
    """Invokes of ``class_desc->name`` (every overload), in a stable order.

    Exactly this class: the crypto APIs are framework classes apps call directly (several
    checks ask for the same ones; the facts keep the answer).
    """
    return ctx.facts.calls.of(class_desc, name, exact=True)


def algorithm_names(
    ctx: CheckContext, resolver: ValueAnalysis, class_desc: str, name: str = "getInstance"
) -> Iterator[tuple[CodeSite, list[tuple[str, Reached]]]]:
    """Each ``getInstance`` call with the constant algorithm names that reach argument 0."""
    for site in calls(ctx, class_desc, name):
        if not site.caller.proto or site.opcode not in (0x71, 0x77):
            continue  # getInstance is static; anything else is another method of that name
        names = texts(resolver.arg(site, 0))
        if names:
            yield site, names
