"""Stage 4, safety: the output allowlist (sanitizer), the attribute lists, the check render of every page."""
