"""Stage 10, tools: editor commands built on a SiteBuild (rename, scaffold, schemas, export, preview, external links)."""
