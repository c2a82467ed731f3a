"""Stable issue codes of the signature verifier, with their English and zh-CN texts.

One table, so users and tests match on codes and translators find every sentence in one
place. Codes follow apksig's ``ApkVerifier.Issue`` names where one exists, so a reviewer
can compare our verdict with ``apksigner verify -v`` line by line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# code -> (English template, zh-CN template); templates use str.format(**params).
MESSAGES: dict[str, tuple[str, str]] = {
    # --- whole APK -----------------------------------------------------------------------
    "signing.sdk_range_invalid": (
        "min_sdk {min_sdk} is greater than max_sdk {max_sdk}",
        "min_sdk {min_sdk} 大于 max_sdk {max_sdk}",
    ),
    "signing.apk_malformed": (
        "APK is malformed in a way Android rejects before checking signatures ({reason})",
        "APK 格式错误，Android 在校验签名之前就会拒绝（{reason}）",
    ),
    "signing.no_android_manifest": (
        "AndroidManifest.xml is missing: Android (and apksigner) reject the APK",
        "缺少 AndroidManifest.xml：Android（以及 apksigner）拒绝该 APK",
    ),
    "signing.no_sig_for_target_sandbox_version": (
        "targetSandboxVersion {version} requires APK Signature Scheme v2 or newer",
        "targetSandboxVersion {version} 要求使用 APK 签名方案 v2 或更新版本",
    ),
    "signing.min_sig_scheme_for_target_sdk_not_met": (
        "targetSdkVersion {target_sdk} requires APK Signature Scheme v2 or newer, "
        "but the APK verifies only with v1 (JAR) signing",
        "targetSdkVersion {target_sdk} 要求 APK 签名方案 v2 或更新版本，"
        "但该 APK 只有 v1（JAR）签名有效",
    ),
    "signing.no_signature": (
        "The APK has no signature that Android accepts for API levels {min_sdk}..{max_sdk}",
        "对于 API 级别 {min_sdk}..{max_sdk}，该 APK 没有 Android 接受的签名",
    ),
    "signing.v1_v2_signers_mismatch": (
        "v1 (JAR) and v2 signers differ",
        "v1（JAR）签名者与 v2 签名者不一致",
    ),
    "signing.v3_past_signers_mismatch": (
        "The oldest v3 signer (lineage root) is not the v1/v2 signer",
        "v3 最早的签名者（证书轮换链的根）与 v1/v2 签名者不一致",
    ),
    "signing.v4_absent": (
        "No v4 signature file (.idsig) checked: v4 signatures live outside the APK",
        "未检查 v4 签名文件（.idsig）：v4 签名保存在 APK 之外",
    ),
    # --- APK Signing Block -------------------------------------------------------------------
    "signing.block.cd_not_followed_by_eocd": (
        "ZIP central directory is not immediately followed by the end record: "
        "APK Signing Block ignored",
        "ZIP 中央目录之后不是紧接结束记录：忽略 APK 签名分块",
    ),
    "signing.block.bad_magic": (
        "No APK Signing Block: wrong magic before the central directory",
        "没有 APK 签名分块：中央目录之前的魔数不正确",
    ),
    "signing.block.size_out_of_range": (
        "APK Signing Block size {size} out of range: block ignored",
        "APK 签名分块大小 {size} 超出范围：忽略该分块",
    ),
    "signing.block.size_mismatch": (
        "APK Signing Block sizes in header ({header}) and footer ({footer}) differ: block ignored",
        "APK 签名分块头部大小（{header}）与尾部大小（{footer}）不一致：忽略该分块",
    ),
    "signing.block.malformed_pair": (
        "APK Signing Block entry #{index} is malformed: remaining entries ignored",
        "APK 签名分块第 {index} 项格式错误：忽略其余各项",
    ),
    "signing.block.unknown_pair": (
        "APK Signing Block holds an entry with unknown id 0x{id:08x} (ignored)",
        "APK 签名分块包含未知 ID 0x{id:08x} 的项（已忽略）",
    ),
    # --- v2 / v3 / v3.1 ------------------------------------------------------------------------
    "signing.scheme.malformed_signers": (
        "{scheme}: malformed list of signers",
        "{scheme}：签名者列表格式错误",
    ),
    "signing.scheme.no_signers": ("{scheme}: no signers", "{scheme}：没有签名者"),
    "signing.scheme.max_signers_exceeded": (
        "{scheme}: {count} signers, more than the {max} Android accepts",
        "{scheme}：签名者有 {count} 个，超过 Android 接受的上限 {max}",
    ),
    "signing.scheme.malformed_signer": (
        "{scheme}: signer #{index} is malformed",
        "{scheme}：第 {index} 个签名者格式错误",
    ),
    "signing.scheme.malformed_signature": (
        "{scheme}: signature #{index} is malformed",
        "{scheme}：第 {index} 个签名格式错误",
    ),
    "signing.scheme.unknown_sig_algorithm": (
        "{scheme}: unknown signature algorithm 0x{id:04x} (ignored)",
        "{scheme}：未知签名算法 0x{id:04x}（已忽略）",
    ),
    "signing.scheme.no_signatures": (
        "{scheme}: signer has no signatures",
        "{scheme}：签名者没有签名",
    ),
    "signing.scheme.no_supported_signatures": (
        "{scheme}: no signature algorithm supported on every API level {min_sdk}..{max_sdk}",
        "{scheme}：没有在所有 API 级别 {min_sdk}..{max_sdk} 上都受支持的签名算法",
    ),
    "signing.scheme.malformed_public_key": (
        "{scheme}: malformed public key ({reason})",
        "{scheme}：公钥格式错误（{reason}）",
    ),
    "signing.scheme.did_not_verify": (
        "{scheme}: signature over signed data did not verify ({algorithm})",
        "{scheme}：对签名数据的签名校验失败（{algorithm}）",
    ),
    "signing.scheme.verify_exception": (
        "{scheme}: signature could not be checked ({algorithm}: {reason})",
        "{scheme}：无法校验签名（{algorithm}：{reason}）",
    ),
    "signing.scheme.malformed_signed_data": (
        "{scheme}: malformed signed data",
        "{scheme}：签名数据格式错误",
    ),
    "signing.scheme.malformed_certificate": (
        "{scheme}: certificate #{index} is malformed ({reason})",
        "{scheme}：第 {index} 个证书格式错误（{reason}）",
    ),
    "signing.scheme.no_certificates": (
        "{scheme}: signer has no certificates",
        "{scheme}：签名者没有证书",
    ),
    "signing.scheme.public_key_mismatch": (
        "{scheme}: public key in the signer record does not match the certificate",
        "{scheme}：签名者记录中的公钥与证书中的公钥不一致",
    ),
    "signing.scheme.malformed_digest": (
        "{scheme}: digest record #{index} is malformed",
        "{scheme}：第 {index} 个摘要记录格式错误",
    ),
    "signing.scheme.sig_alg_mismatch": (
        "{scheme}: signature algorithms in the signatures and digests records differ",
        "{scheme}：签名记录与摘要记录中的签名算法不一致",
    ),
    "signing.scheme.malformed_additional_attribute": (
        "{scheme}: additional attribute #{index} is malformed",
        "{scheme}：第 {index} 个附加属性格式错误",
    ),
    "signing.scheme.unknown_additional_attribute": (
        "{scheme}: unknown additional attribute 0x{id:08x} (ignored)",
        "{scheme}：未知附加属性 0x{id:08x}（已忽略）",
    ),
    "signing.scheme.unknown_apk_sig_scheme_id": (
        "{scheme}: stripping-protection attribute names unknown scheme id {id} (ignored)",
        "{scheme}：防剥离属性指向未知签名方案 ID {id}（已忽略）",
    ),
    "signing.scheme.missing_apk_sig_referenced": (
        "{scheme}: the signer says the APK is also signed with {referenced}, but no such "
        "signature was found (stripped?)",
        "{scheme}：签名者声明该 APK 还使用了 {referenced} 签名，但未找到该签名（被剥离？）",
    ),
    "signing.scheme.apk_digest_did_not_verify": (
        "{scheme}: APK content digest ({algorithm}) does not match: the APK was modified "
        "after signing",
        "{scheme}：APK 内容摘要（{algorithm}）不匹配：APK 在签名后被修改",
    ),
    "signing.scheme.digest_uncomputable": (
        "{scheme}: content digest cannot be computed ({reason})",
        "{scheme}：无法计算内容摘要（{reason}）",
    ),
    "signing.scheme.invalid_sdk_versions": (
        "{scheme}: invalid SDK range {min_sdk}..{max_sdk} in signer",
        "{scheme}：签名者中的 SDK 范围 {min_sdk}..{max_sdk} 无效",
    ),
    "signing.scheme.sdk_version_mismatch": (
        "{scheme}: SDK range in signer and in signed data differ",
        "{scheme}：签名者与签名数据中的 SDK 范围不一致",
    ),
    "signing.scheme.missing_sdk_versions": (
        "{scheme}: signers cover API levels {first}..{last}, not all of {min_sdk}..{max_sdk}",
        "{scheme}：签名者覆盖 API 级别 {first}..{last}，未覆盖全部 {min_sdk}..{max_sdk}",
    ),
    "signing.scheme.inconsistent_sdk_versions": (
        "{scheme}: SDK ranges of the signers overlap or leave gaps",
        "{scheme}：各签名者的 SDK 范围存在重叠或空缺",
    ),
    "signing.scheme.inconsistent_lineages": (
        "{scheme}: proof-of-rotation lineages of the signers are inconsistent",
        "{scheme}：各签名者的证书轮换证明（lineage）互相矛盾",
    ),
    "signing.scheme.malformed_lineage": (
        "{scheme}: malformed proof-of-rotation lineage ({reason})",
        "{scheme}：证书轮换证明（lineage）格式错误（{reason}）",
    ),
    "signing.scheme.por_did_not_verify": (
        "{scheme}: proof-of-rotation lineage does not verify ({reason})",
        "{scheme}：证书轮换证明（lineage）校验失败（{reason}）",
    ),
    "signing.scheme.por_cert_mismatch": (
        "{scheme}: the newest certificate of the lineage is not the signer's certificate",
        "{scheme}：证书轮换链中最新的证书不是签名者的证书",
    ),
    "signing.scheme.v31_block_without_v3": (
        "v3.1 block found without a v3 block",
        "存在 v3.1 分块但没有 v3 分块",
    ),
    "signing.scheme.v31_rotation_min_sdk_mismatch": (
        "v3 signer's rotation-min-sdk attribute ({attr}) does not match the v3.1 "
        "signers ({actual})",
        "v3 签名者的轮换最低 SDK 属性（{attr}）与 v3.1 签名者（{actual}）不一致",
    ),
    "signing.scheme.v31_block_missing": (
        "v3 signer says key rotation applies from API {attr}, but the v3.1 block is missing "
        "(stripped?)",
        "v3 签名者声明自 API {attr} 起使用轮换后的密钥，但缺少 v3.1 分块（被剥离？）",
    ),
    "signing.scheme.v31_rotation_min_sdk_attr_missing": (
        "v3.1 block present but the v3 signer lacks the rotation-min-sdk attribute",
        "存在 v3.1 分块，但 v3 签名者缺少轮换最低 SDK 属性",
    ),
    "signing.scheme.dev_release_attr_on_v3": (
        "v3 signer carries the 'rotation targets dev release' attribute, which only "
        "v3.1 honours (ignored)",
        "v3 签名者带有“轮换面向开发版”属性，该属性仅对 v3.1 有效（已忽略）",
    ),
    # --- v1 (JAR) --------------------------------------------------------------------------
    "signing.v1.no_manifest": (
        "No META-INF/MANIFEST.MF: the APK has no v1 (JAR) signature",
        "没有 META-INF/MANIFEST.MF：该 APK 没有 v1（JAR）签名",
    ),
    "signing.v1.unreadable_entry": (
        "{entry} cannot be read ({reason})",
        "无法读取 {entry}（{reason}）",
    ),
    "signing.v1.malformed_manifest": (
        "{entry} is malformed ({reason})",
        "{entry} 格式错误（{reason}）",
    ),
    "signing.v1.unnamed_manifest_section": (
        "MANIFEST.MF section at line {line} has no Name (entry names with CR/LF/NUL "
        "cannot be signed for Android)",
        "MANIFEST.MF 第 {line} 行的段落没有 Name（含 CR/LF/NUL 的条目名无法为 Android 签名）",
    ),
    "signing.v1.duplicate_manifest_section": (
        "MANIFEST.MF has two sections for {name}",
        "MANIFEST.MF 中 {name} 有两个段落",
    ),
    "signing.v1.no_signatures": (
        "No JAR signatures (.SF with matching .RSA/.DSA/.EC) in META-INF",
        "META-INF 中没有 JAR 签名（.SF 及对应的 .RSA/.DSA/.EC）",
    ),
    "signing.v1.max_signers_exceeded": (
        "{count} JAR signers, more than the {max} Android accepts",
        "JAR 签名者有 {count} 个，超过 Android 接受的上限 {max}",
    ),
    "signing.v1.parse_exception": (
        "{entry}: PKCS#7 signature block cannot be parsed ({reason})",
        "{entry}：无法解析 PKCS#7 签名块（{reason}）",
    ),
    "signing.v1.no_signers": (
        "{entry}: PKCS#7 SignedData has no SignerInfo",
        "{entry}：PKCS#7 SignedData 中没有 SignerInfo",
    ),
    "signing.v1.unsupported_sig_alg": (
        "{entry}: digest {digest} with signature {signature} is not supported on API "
        "levels {levels}",
        "{entry}：摘要 {digest} 配合签名算法 {signature} 在 API 级别 {levels} 上不受支持",
    ),
    "signing.v1.verify_exception": (
        "{entry}: signature cannot be checked ({reason})",
        "{entry}：无法校验签名（{reason}）",
    ),
    "signing.v1.did_not_verify": (
        "{entry}: no SignerInfo verifies against {sf}",
        "{entry}：没有任何 SignerInfo 能对 {sf} 校验通过",
    ),
    "signing.v1.missing_version_attr": (
        "{entry}: no Signature-Version attribute (signer ignored)",
        "{entry}：缺少 Signature-Version 属性（忽略该签名者）",
    ),
    "signing.v1.missing_apk_sig_referenced": (
        "{entry} says the APK is signed with {referenced}, but no such signature was found "
        "(stripped?)",
        "{entry} 声明该 APK 使用了 {referenced} 签名，但未找到该签名（被剥离？）",
    ),
    "signing.v1.unknown_apk_sig_scheme_id": (
        "{entry}: X-Android-APK-Signed names unknown scheme id {id} (ignored)",
        "{entry}：X-Android-APK-Signed 指向未知签名方案 ID {id}（已忽略）",
    ),
    "signing.v1.no_apk_sig_strip_protection": (
        "{entry} lacks X-Android-APK-Signed: no protection against stripping the v2+ signature",
        "{entry} 缺少 X-Android-APK-Signed：无法防止 v2 及以上签名被剥离",
    ),
    "signing.v1.no_manifest_digest_in_sf": (
        "{entry} has no digest of the whole MANIFEST.MF",
        "{entry} 中没有整个 MANIFEST.MF 的摘要",
    ),
    "signing.v1.manifest_digest_mismatch": (
        "{entry}: {algorithm} digest of the whole MANIFEST.MF does not match "
        "(falling back to per-section digests)",
        "{entry}：整个 MANIFEST.MF 的 {algorithm} 摘要不匹配（改为逐段校验）",
    ),
    "signing.v1.main_section_digest_mismatch": (
        "{entry}: {algorithm} digest of the MANIFEST.MF main section does not match",
        "{entry}：MANIFEST.MF 主段落的 {algorithm} 摘要不匹配",
    ),
    "signing.v1.section_digest_mismatch": (
        "{entry}: {algorithm} digest of the MANIFEST.MF section for {name} does not match",
        "{entry}：MANIFEST.MF 中 {name} 段落的 {algorithm} 摘要不匹配",
    ),
    "signing.v1.unnamed_sf_section": (
        "{entry}: section #{index} has no Name (signer ignored)",
        "{entry}：第 {index} 个段落没有 Name（忽略该签名者）",
    ),
    "signing.v1.duplicate_sf_section": (
        "{entry}: two sections for {name} (signer ignored)",
        "{entry}：{name} 有两个段落（忽略该签名者）",
    ),
    "signing.v1.no_entry_digest_in_sf": (
        "{entry}: no usable digest for {name}",
        "{entry}：{name} 没有可用的摘要",
    ),
    "signing.v1.no_entry_digest_in_manifest": (
        "{name} is not listed (or has no usable digest) in MANIFEST.MF",
        "{name} 未列在 MANIFEST.MF 中（或没有可用的摘要）",
    ),
    "signing.v1.entry_not_signed": (
        "{name} is not covered by any JAR signer",
        "{name} 未被任何 JAR 签名者覆盖",
    ),
    "signing.v1.entry_signers_mismatch": (
        "{name} is signed by a different set of JAR signers than {first}",
        "{name} 的 JAR 签名者集合与 {first} 不同",
    ),
    "signing.v1.entry_digest_mismatch": (
        "{algorithm} digest of {name} does not match MANIFEST.MF: the entry was modified "
        "after signing",
        "{name} 的 {algorithm} 摘要与 MANIFEST.MF 不匹配：该条目在签名后被修改",
    ),
    "signing.v1.no_signed_entries": (
        "No entry outside META-INF is signed",
        "META-INF 之外没有任何已签名的条目",
    ),
    "signing.v1.unprotected_entry": (
        "{name} in META-INF is not protected by the JAR signature",
        "META-INF 中的 {name} 不受 JAR 签名保护",
    ),
}


@dataclass(frozen=True)
class Issue:
    """One problem found while verifying: a stable code, its texts and parameters."""

    code: str
    en: str
    zh: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": {"en": self.en, "zh-CN": self.zh},
            "params": {k: _jsonable(v) for k, v in self.params.items()},
        }


def _jsonable(v: Any) -> Any:
    return v if isinstance(v, str | int | float | bool | type(None)) else str(v)


def make_issue(code: str, **params: Any) -> Issue:
    """Build an :class:`Issue` from the table; a missing parameter never raises."""
    en_t, zh_t = MESSAGES[code]
    try:
        en, zh = en_t.format(**params), zh_t.format(**params)
    except (KeyError, ValueError, IndexError):
        en, zh = en_t, zh_t
    return Issue(code, en, zh, dict(params))
