"""JVM class files (JARs and the ``classes.jar`` of an AAR): a bounded reader whose facts
(call sites with constant arguments, strings, fields, hierarchy) match the DEX ones."""

from .classfile import ClassFormatError, ClassInfo, FieldInfo, MemberRef, MethodInfo, parse_class
from .jar import JvmCode, read_jar_classes

__all__ = [
    "ClassFormatError",
    "ClassInfo",
    "FieldInfo",
    "JvmCode",
    "MemberRef",
    "MethodInfo",
    "parse_class",
    "read_jar_classes",
]
