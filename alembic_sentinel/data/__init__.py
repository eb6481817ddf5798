"""Upgrades with data: representative rows for a migrated schema, and what revisions do to them.

Owns the shape of a reflected schema as plain data (`schema`) and its reading from a connection
(`reflection`); the values a column may take, awkward on purpose (`values`); the generator of
rows, parents first, a batch at a time (`rows`), their loading as dump tools load
(`load`) and the fill that drives both (`fill`); a project's own rows per revision
(`fixtures`); the rows a schema holds, captured and compared (`capture`); the profile of a
column and what a reviewer should see in it (`profile`); the server's errors over rows, in
words (`server_errors`); the new revisions' statements over the rows, timed (`timings`).

May import: graph, engine, settings, flask_app, report, errors, redaction.
"""
