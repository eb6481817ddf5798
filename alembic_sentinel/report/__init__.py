"""The one report model and its renderers.

Owns `Finding` and `Report` (`model`), text, JSON and GitHub annotations (`render`), SARIF
2.1.0 (`sarif`), and the Markdown of the `ci` report (`markdown`, on `markdown_document`).
Everything above builds a `Report`; only these modules decide how it looks.

May import: nothing else.
"""
