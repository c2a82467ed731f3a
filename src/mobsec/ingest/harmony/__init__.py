"""HarmonyOS packages: ``.hap`` modules and ``.app`` packs of them (untrusted bytes → typed
objects). ``hap.read_harmony`` is the entry; the other modules read one part each."""
