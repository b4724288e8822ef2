"""The site's content layer, in stages; each imports only from the stages before it (tests/test_architecture.py).

0 ``core`` -> 1 ``model`` -> 2 ``collections`` -> 3 ``read`` -> 4 ``safety`` -> 5 ``graph`` -> 6 ``markdown``
-> 7 ``pages`` -> 8 ``outputs`` -> 9 ``site`` (runs the stages, top to bottom) -> 10 ``tools`` (and ``cms*``).
Nothing here imports MkDocs: ``scripts/oirsite_mkdocs/`` (one plugin) is the adapter.
"""
