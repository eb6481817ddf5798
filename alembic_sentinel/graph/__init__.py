"""The revision graph, read statically: revision files in, heads, merges and findings out.

Owns the static reader (`revision_files`, the header-only `revision_header`, `revision_file`,
`revision_cache`; a file too large to parse placed from its header: `bounded_header`,
`streamed_code`), the graph and its analysis with Alembic's semantics (`revision_graph`),
revisions at a git ref and upstream refs (`git_revisions`), what the hooks ask git about a merge,
rebase or push (`git_workflow`), the heads report and collisions with another branch
(`revision_check`, `revision_changes`), the merge writer (`merge_revision`), `rebase`, and the
static verbs (`commands`: heads, graph, merge, rebase). Nothing here imports SQLAlchemy or
Alembic, and gitpython only inside the functions that read git.

May import: settings, flask_app, report, errors, redaction.
"""
