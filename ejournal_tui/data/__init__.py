"""Storage: SQLModel tables, the engine factory, migrations, unit of work, repositories."""
