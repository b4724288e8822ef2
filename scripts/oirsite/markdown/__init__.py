"""Stage 6, markdown: texts rewritten (references, blocks, links), early unsafe-HTML messages, external links."""
