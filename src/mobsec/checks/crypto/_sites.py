"""Call sites of the crypto APIs, with resolved argument values, shared by the checks."""

from __future__ import annotations

import weakref
from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.ingest.dex import CodeSite, DexSet

from ._values import ArgResolver, Reached, texts

CIPHER = "Ljavax/crypto/Cipher;"
KEY_GENERATOR = "Ljavax/crypto/KeyGenerator;"
SECRET_KEY_FACTORY = "Ljavax/crypto/SecretKeyFactory;"
MESSAGE_DIGEST = "Ljava/security/MessageDigest;"
MAC = "Ljavax/crypto/Mac;"


# Several crypto checks ask for the same APIs (Cipher.getInstance feeds four of them) and a
# lookup by name costs a binary search per DEX file; the answers are kept per app.
_CALLS: weakref.WeakKeyDictionary[DexSet, dict[tuple[str, str], list[CodeSite]]] = (
    weakref.WeakKeyDictionary()
)


def calls(ctx: CheckContext, class_desc: str, name: str) -> list[CodeSite]:
    """Invokes of ``class_desc->name`` (every overload), in a stable order."""
    per_app = _CALLS.setdefault(ctx.code, {})
    sites = per_app.get((class_desc, name))
    if sites is None:
        sites = sorted(
            ctx.code.call_sites(class_desc, name),
            key=lambda s: (s.dex.name, s.caller_idx, s.offset),
        )
        per_app[(class_desc, name)] = sites
    return sites


def algorithm_names(
    ctx: CheckContext, resolver: ArgResolver, class_desc: str, name: str = "getInstance"
) -> Iterator[tuple[CodeSite, list[tuple[str, Reached]]]]:
    """Each ``getInstance`` call with the constant algorithm names that reach argument 0."""
    for site in calls(ctx, class_desc, name):
        if not site.caller.proto or site.opcode not in (0x71, 0x77):
            continue  # getInstance is static; anything else is another method of that name
        names = texts(resolver.arg(site, 0))
        if names:
            yield site, names
