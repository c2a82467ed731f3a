"""Intra-procedural data flow over DEX bytecode: which values reach an API argument.

    flow = method_flow(dex, method)            # None: no code, or code that cannot be decoded
    for call in flow.invokes():
        if call.callee.name == "getInstance":
            values = flow.args_at(call.offset)[0]
            string_constants(values)            # {"AES/ECB/PKCS5Padding"}

See :mod:`.values` for what a :class:`Value` can be, :mod:`.models` for the library calls
that keep constants alive, :func:`field_constants` for fields written only with constants.
"""

from .analysis import CallInfo, MethodFlow, arg_registers, method_flow
from .fields import field_constants
from .values import TOP, ArrayData, Value, string_constants

__all__ = [
    "TOP",
    "ArrayData",
    "CallInfo",
    "MethodFlow",
    "Value",
    "arg_registers",
    "field_constants",
    "method_flow",
    "string_constants",
]
