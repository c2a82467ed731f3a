"""ULEB128 encoding, shared by the DEX writer (JVM class files translated to DEX) and the
Ark bytecode reader (which looks for encoded lengths)."""


def encode_uleb128(value: int) -> bytes:
    out = bytearray()
    while True:
        b = value & 0x7F
        value >>= 7
        if value:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)
