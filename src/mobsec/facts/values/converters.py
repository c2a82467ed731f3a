"""App helpers that only convert a constant: their result is a constant too.

Why: crackmes and apps keep a key as a hex string and turn it into bytes with their own
loop (UnCrackable Level 1's ``b(String)``: ``Character.digit(s.charAt(i), 16) << 4 | ...``).
The value analysis cannot run the loop, but a method ``(String) -> byte[]`` that calls
nothing except ``String.length/charAt/substring`` and ``Character.digit`` /
``Integer.parseInt`` is a hex decoder: given a constant hex string, its result is
``bytes.fromhex`` of it, the same on every install.
"""

from __future__ import annotations

from mobsec.facts.dataflow import MethodFlow

HEX_DECODER_PROTO = "(Ljava/lang/String;)[B"
# Calls a hex decoding loop makes, and nothing else.
HEX_LOOP_CALLS = frozenset(
    {
        ("Ljava/lang/String;", "length"),
        ("Ljava/lang/String;", "charAt"),
        ("Ljava/lang/String;", "substring"),
        ("Ljava/lang/String;", "toLowerCase"),
        ("Ljava/lang/String;", "toUpperCase"),
        ("Ljava/lang/Character;", "digit"),
        ("Ljava/lang/Integer;", "parseInt"),
        ("Ljava/lang/Integer;", "valueOf"),
        ("Ljava/lang/Integer;", "intValue"),
    }
)
DIGIT_CALLS = frozenset({("Ljava/lang/Character;", "digit"), ("Ljava/lang/Integer;", "parseInt")})
RADIX = 16


def is_hex_decoder(flow: MethodFlow) -> bool:
    """True when the method is a ``(String) -> byte[]`` hex decoding loop (see module doc)."""
    if flow.ref.proto != HEX_DECODER_PROTO or not flow.complete:
        return False
    calls = flow.invokes()
    names = {(c.callee.class_desc, c.callee.name) for c in calls}
    if not names <= HEX_LOOP_CALLS or not names & DIGIT_CALLS:
        return False
    # The radix of every digit/parseInt call is the constant 16.
    for c in calls:
        if (c.callee.class_desc, c.callee.name) in DIGIT_CALLS:
            args = flow.args_at(c.offset)
            radix = args[1] if len(args) > 1 else frozenset()
            if not radix or any(v.kind != "const" or v.data != RADIX for v in radix):
                return False
    return True


def hex_bytes(text: str) -> bytes | None:
    """The bytes a hex decoder makes of ``text``, None when it is not hex."""
    if len(text) % 2 or len(text) > 8192:
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None
