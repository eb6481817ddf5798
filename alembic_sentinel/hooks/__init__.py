"""pre-commit hook entry points; each module shares its name with its hook id and console script."""
