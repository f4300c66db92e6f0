"""Build the demo organisation in ``catalog/demo/``: the code here, the curated tables in ``data/``.

``scripts/build_demo.py`` runs it; ``data/README.md`` says what each table holds and where its
facts come from.
"""
