"""Text fields for sensitive data that let the keyboard learn and suggest what was typed.

The system keyboard (and third-party keyboards) keep a user dictionary of typed words
unless the field says otherwise. For a password, PIN or card number that is a leak to
anyone holding the device and to keyboard apps. Only fields whose id names sensitive data
are reported: flagging every text field would bury the ones that matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.ingest.axml import XmlElement, to_xml_text
from mobsec.report.model import Confidence, Finding, Severity, Text

# InputType bits (android.text.InputType)
_CLASS_MASK = 0x0000000F
_VARIATION_MASK = 0x00000FF0
_CLASS_TEXT = 0x1
_CLASS_NUMBER = 0x2
_FLAG_NO_SUGGESTIONS = 0x00080000
_TEXT_PASSWORD_VARIATIONS = {0x80, 0x90, 0xE0}  # password, visible password, web password
_NUMBER_PASSWORD = 0x10

_SECRET_ID = re.compile(
    r"(pass(word|wd|code)?|pwd|pin|cvv|cvc|card|secret|otp|token|ssn|密码)", re.I
)
_SENSITIVE_ID = re.compile(
    r"(pass(word|wd|code)?|pwd|pin|cvv|cvc|card|secret|otp|token|ssn|account|user_?name|"
    r"login|email|phone|mobile|密码)",
    re.IGNORECASE,
)


def suggestions_disabled(input_type: int | None, password_attr: bool) -> bool:
    if password_attr:
        return True
    if input_type is None:
        return False  # default: plain text, learned by the keyboard
    cls, variation = input_type & _CLASS_MASK, input_type & _VARIATION_MASK
    if cls == _CLASS_TEXT:
        return variation in _TEXT_PASSWORD_VARIATIONS or bool(input_type & _FLAG_NO_SUGGESTIONS)
    # number, phone and date/time keyboards do not learn words; only a number password is
    # "protected" in the sense that matters here, and the others are not text to remember.
    return cls != 0 or variation == _NUMBER_PASSWORD


def _is_text_field(el: XmlElement) -> bool:
    tag = el.tag.rsplit(".", 1)[-1]
    return tag.endswith("EditText") or tag == "AutoCompleteTextView"


@check(
    "android.ui.keyboard-cache",
    title=(
        "Sensitive text field allows keyboard suggestions",
        "敏感输入框未禁用键盘缓存",
    ),
    description=(
        "A text field whose id names sensitive data (password, PIN, card, account...) does not "
        "disable keyboard learning: what the user types can end up in the keyboard's user "
        "dictionary and suggestions, readable by keyboard apps and anyone with the device.",
        "标识为敏感数据(密码、PIN、卡号、账号等)的输入框未禁用键盘学习:用户输入可能进入输入法"
        "的用户词典和联想建议,被输入法应用或持有设备的人读取。",
    ),
    remediation=(
        'Set android:inputType="textPassword" (or textNoSuggestions / numberPassword) on '
        "fields for secrets and personal data.",
        '为密码和个人信息输入框设置 android:inputType="textPassword"(或 textNoSuggestions、'
        "numberPassword)。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[524],
    masvs=["MASVS-STORAGE-2"],
    owasp=["M9"],
    gbt_34975=["5.4.3 数据安全 / data security"],
)
def keyboard_cache(ctx: CheckContext) -> Iterator[Finding]:
    resources = ctx.facts.pkg.resources
    for path in ctx.facts.layout_files():
        root = ctx.facts.xml_file(path)
        if root is None:
            continue
        for el in root.iter():
            if not _is_text_field(el):
                continue
            id_attr = el.attr("id")
            if id_attr is None or not id_attr.is_reference() or (id_attr.data >> 24) != 0x7F:
                continue  # no id, or a library's id: not the app's own field
            name = resources.name_of(id_attr.data) if resources else None
            if not name or not _SENSITIVE_ID.search(name.split("/", 1)[-1]):
                continue
            input_type = el.attr("inputType")
            password = el.attr("password")
            value = input_type.value(resources) if input_type is not None else None
            if suggestions_disabled(
                value if isinstance(value, int) else None,
                bool(password is not None and password.value(resources) is True),
            ):
                continue
            secret = _SECRET_ID.search(name.split("/", 1)[-1]) is not None
            yield ctx.file_finding(
                path,
                line=el.line,
                key=name,
                # A user name, e-mail or phone number learnt by the keyboard is a policy
                # note (info, out of the default view); a password, PIN or card is a leak.
                severity=None if secret else Severity.INFO,
                evidence=to_xml_text(el, resources, max_depth=1),
                message=Text(
                    f"{name} in {path} has no inputType that disables suggestions",
                    f"{path} 中的 {name} 未设置禁用联想的 inputType",
                ),
            )
