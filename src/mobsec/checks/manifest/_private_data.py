"""Does any code that can run keep data in the app's private storage (what a backup copies)?

``allowBackup`` copies the app's private files, shared preferences and databases. An app
whose running code never opens any of them has nothing a backup would take: the flag is
then a policy note, not a weakness. Call sites come from the call index (SDK code included:
an SDK's stored tokens are backed up too) and count only where the reachability fact says
the calling method can run; with no entry points known every site counts.
"""

from __future__ import annotations

from mobsec.facts.app import AppFacts
from mobsec.ingest.dex import CodeSite

CONTEXT = "Landroid/content/Context;"
# (class, method, exact) of the calls that create or open app-private data. Context
# methods are found on subclasses too (Activity.getSharedPreferences); the cache and
# no-backup directories are left out: backups skip them.
PRIVATE_STORAGE = (
    (CONTEXT, "getSharedPreferences", False),
    (CONTEXT, "openFileOutput", False),
    (CONTEXT, "openOrCreateDatabase", False),
    (CONTEXT, "getDatabasePath", False),
    (CONTEXT, "getDir", False),
    (CONTEXT, "getFilesDir", False),
    (CONTEXT, "getDataDir", False),
    ("Landroid/app/Activity;", "getPreferences", False),
    ("Landroid/preference/PreferenceManager;", "getDefaultSharedPreferences", True),
    ("Landroid/database/sqlite/SQLiteOpenHelper;", "<init>", True),
    ("Landroid/database/sqlite/SQLiteDatabase;", "openOrCreateDatabase", True),
    ("Landroid/database/sqlite/SQLiteDatabase;", "openDatabase", True),
)


def private_data_writer(facts: AppFacts) -> CodeSite | None:
    """The first call that keeps private data in a method that can run, or None."""
    return facts.memo(("manifest", "private data writer"), lambda: _first_writer(facts))


def _first_writer(facts: AppFacts) -> CodeSite | None:
    reach = facts.reachability
    for cls, name, exact in PRIVATE_STORAGE:
        for site in facts.calls.of(cls, name, exact=exact):
            if not reach.known:
                return site
            ref = site.dex.method_ref(site.caller_idx)
            if reach.is_reachable(ref.class_desc, f"{ref.name}{ref.proto}"):
                return site
    return None
