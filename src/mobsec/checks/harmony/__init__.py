"""``harmony.*`` checks: they read :class:`mobsec.facts.harmony.HarmonyFacts`."""
