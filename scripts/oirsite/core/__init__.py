"""Stage 0, core: diagnostics, text positions, dates, site paths, escapers, Markdown writers, memo. Imports nothing of oirsite."""
