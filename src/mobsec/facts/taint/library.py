"""How taint passes through library calls the app does not define (JDK, Android).

Why coarse rules and not per-method summaries: library code is not in the APK, and the
methods that matter for moving data are few in kind: builders and containers that absorb
their arguments (``StringBuilder.append``, ``List.add``, ``Intent.putExtra``), accessors
that hand back what they hold (``toString``, ``get``, ``iterator().next()``), and value
transformers (``substring``, ``String.format``). So:

- the result of a non-void call is tainted by its receiver and every argument;
- a constructor or a mutator (by name, on classes that hold data) also taints its receiver
  with the other arguments — ``new StringBuilder(imei)``, ``map.put(k, imei)``;
- calls that only answer questions about an object (``equals``, ``length``, ``size``,
  ``hashCode``...) give clean results, so a tainted string compared with a constant does
  not taint a boolean (implicit flows are out of scope);
- ``System.arraycopy`` taints its destination array.
"""

from __future__ import annotations

from mobsec.ingest.dex import MethodRef

# Receiver classes (prefixes) whose mutators store the data they are given.
DATA_HOLDER_PREFIXES = (
    "Ljava/lang/StringBuilder;",
    "Ljava/lang/StringBuffer;",
    "Ljava/util/",
    "Ljava/io/",
    "Ljava/nio/",
    "Ljava/net/",
    "Lorg/json/",
    "Landroid/os/Bundle;",
    "Landroid/os/BaseBundle;",
    "Landroid/os/Parcel;",
    "Landroid/os/Message;",
    "Landroid/content/Intent;",
    "Landroid/content/ContentValues;",
    "Landroid/content/ComponentName;",
    "Landroid/net/Uri",
    "Landroid/util/",
    "Landroid/location/Location;",
    "Landroid/content/SharedPreferences$Editor;",
    "Lorg/apache/http/",
    "Lokhttp3/",
    "Ljava/lang/Exception;",
    "Ljava/lang/RuntimeException;",
    "Ljava/lang/Throwable;",
    "Ljava/lang/Error;",
    "Ljava/lang/IllegalStateException;",
    "Ljava/lang/IllegalArgumentException;",
    "Landroid/widget/",
    "Landroid/text/",
    "Ljava/lang/Thread;",
    "Ljava/lang/ProcessBuilder;",
)
MUTATOR_PREFIXES = (
    "append",
    "add",
    "put",
    "set",
    "insert",
    "push",
    "offer",
    "write",
    "replace",
    "concat",
    "print",
    "format",
    "initCause",
    "command",
    "load",
    "read",  # Parcel.readFromParcel / unmarshall target
    "unmarshall",
)
# Methods whose result says something *about* an object, not its content.
CLEAN_RESULTS = frozenset(
    {
        "equals",
        "equalsIgnoreCase",
        "contains",
        "containsKey",
        "containsValue",
        "isEmpty",
        "length",
        "size",
        "hashCode",
        "compareTo",
        "compareToIgnoreCase",
        "startsWith",
        "endsWith",
        "matches",
        "hasNext",
        "getClass",
        "isNull",
        "has",
        "indexOf",
        "lastIndexOf",
        "exists",
        "getId",
        "getItemId",
        "commit",
        "apply",
    }
)
ARRAYCOPY = MethodRef(
    "Ljava/lang/System;", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V"
)


def is_data_holder(class_desc: str) -> bool:
    return class_desc.startswith(DATA_HOLDER_PREFIXES)


# Immutable value classes: only their constructor takes data in (``new String(bytes)``).
# A URL holds its text: the data leaves when it is opened (``openConnection`` is the sink).
VALUE_CLASSES = frozenset(
    ("Ljava/lang/String;", "Ljava/math/BigInteger;", "Ljava/util/UUID;", "Ljava/net/URL;")
)


def mutates_receiver(ref: MethodRef) -> bool:
    """True when the call stores its arguments into the receiver object."""
    if ref.class_desc in VALUE_CLASSES:
        return ref.name == "<init>"
    if not is_data_holder(ref.class_desc):
        return False
    return ref.name == "<init>" or ref.name.startswith(MUTATOR_PREFIXES)


def result_is_clean(ref: MethodRef) -> bool:
    return ref.name in CLEAN_RESULTS or ref.proto.endswith(")V") or ref.proto.endswith(")Z")


def returns_receiver(ref: MethodRef) -> bool:
    """Builder-style calls return the receiver object itself (``sb.append(x)``)."""
    ret = ref.proto[ref.proto.find(")") + 1 :]
    return ret == ref.class_desc and mutates_receiver(ref)
