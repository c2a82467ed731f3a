"""Rules as data: YAML rule packs loaded at run time (docs/rules.md).

yamlsafe (bounded YAML with lines) → schema (typed rules, errors with file and line) →
loader (a pack) → evaluator (a rule as a check on AppFacts) → signing (Ed25519 packs) →
fixtures (``mobsec rules test``). The engine never needs a release for a new rule.
"""
