"""Crypto checks: algorithms, modes, keys, IVs, salts, randomness and key stores.

Every value judged here reached the API through data flow (a constant loaded into a
register that becomes the argument), following parameters to their callers and fields to
their constant writes, return values to what the method returns, a bounded number of steps
(see :mod:`mobsec.facts.values`, the engine's one value analysis). A string that merely
exists in the app is never evidence.
"""
