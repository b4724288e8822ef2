"""Stage 3, read: files, YAML with positions, validation, settings, entries, docs/ pages, git, the Markdown scanner."""
