"""Storage: API keys and graded submissions, SQLite by default, PostgreSQL by URL."""
