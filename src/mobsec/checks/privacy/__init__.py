"""Personal-information checks (191号文 scenarios, MIIT items), on the facts in
:mod:`mobsec.facts.privacy`. The full 31-scenario assessment is the report's privacy
section; these checks turn its place-bound evidence into findings."""
