"""Crypto checks: algorithms, modes, keys, IVs, salts, randomness and key stores.

Every value judged here reached the API through data flow (a constant loaded into a
register that becomes the argument), following parameters to their callers and fields to
their constant writes a bounded number of steps (see :mod:`._values`). A string that merely
exists in the app is never evidence.
"""
