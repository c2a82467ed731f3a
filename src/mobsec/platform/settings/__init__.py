"""Settings modules: ``base`` (shared), ``local`` (SQLite + local workers in a data
directory), ``production`` (PostgreSQL from DATABASE_URL, secrets from the environment),
``test`` (SQLite, or PostgreSQL when MOBSEC_TEST_DATABASE_URL is set)."""
