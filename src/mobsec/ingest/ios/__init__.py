"""iOS packages (IPA): bundle layout, property lists, provisioning profiles, Mach-O."""

from mobsec.ingest.ios.ipa import Bundle, IpaPackage, looks_like_ipa, read_ipa

__all__ = ["Bundle", "IpaPackage", "looks_like_ipa", "read_ipa"]
