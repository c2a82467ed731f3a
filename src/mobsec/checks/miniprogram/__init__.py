"""``miniprogram.*`` checks: they read :class:`mobsec.facts.miniprogram.MiniProgramFacts`."""
