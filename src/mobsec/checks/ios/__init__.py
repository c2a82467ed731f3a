"""Checks on iOS apps (IPA): ``ios.<area>.<name>``, run on :class:`mobsec.facts.ios.IosFacts`."""
