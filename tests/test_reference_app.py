"""The reference app's history on real backends: the guide's isListed data fill, round trips."""

from __future__ import annotations

from pathlib import Path

from conftest import (
    HEAD,
    INITIAL_REVISION,
    ISLISTED_REVISION,
    query,
    run_cli,
    table_names,
)

ELECTIONS = [
    # (electionId, electionName, rootElectionId): 1 is its own root, 2 hangs under 1, 3 has none
    (1, "Presidential 2019", 1),
    (2, "Presidential 2019 - postal", 1),
    (3, "Provincial 2020", None),
]


def seed_elections(url: str) -> None:
    for election_id, name, root in ELECTIONS:
        query(
            url,
            "INSERT INTO election (electionId, electionName, rootElectionId) "
            "VALUES (:id, :name, :root)",
            id=election_id,
            name=name,
            root=root,
        )


def is_listed(url: str) -> dict[int, bool]:
    rows = query(url, "SELECT electionId, isListed FROM election ORDER BY electionId")
    return {int(str(election_id)): bool(listed) for election_id, listed in rows}


def test_islisted_is_filled_from_existing_rows(project: Path, database_url: str) -> None:
    assert run_cli(project, "--url", database_url, "upgrade", INITIAL_REVISION).code == 0
    seed_elections(database_url)

    result = run_cli(project, "--url", database_url, "upgrade", ISLISTED_REVISION)

    assert result.code == 0, result.output
    assert is_listed(database_url) == {1: True, 2: False, 3: False}


def test_upgrade_fill_downgrade_upgrade_round_trip_keeps_the_rows(
    project: Path, database_url: str
) -> None:
    run_cli(project, "--url", database_url, "upgrade", INITIAL_REVISION)
    seed_elections(database_url)
    assert run_cli(project, "--url", database_url, "upgrade").code == 0
    assert is_listed(database_url) == {1: True, 2: False, 3: False}

    down = run_cli(project, "--url", database_url, "downgrade", INITIAL_REVISION)
    assert down.code == 0, down.output
    assert query(database_url, "SELECT electionId FROM election ORDER BY 1") == [(1,), (2,), (3,)]
    assert "candidate" not in table_names(database_url)

    up = run_cli(project, "--url", database_url, "upgrade")
    assert up.code == 0, up.output
    assert is_listed(database_url) == {1: True, 2: False, 3: False}
    assert run_cli(project, "--url", database_url, "current").out.startswith(HEAD)
    assert run_cli(project, "--url", database_url, "check").code == 0


def test_candidates_get_the_first_election_when_the_column_arrives(
    project: Path, database_url: str
) -> None:
    run_cli(project, "--url", database_url, "upgrade", INITIAL_REVISION)
    seed_elections(database_url)
    run_cli(project, "--url", database_url, "upgrade", "d21f6c8e4b13")
    query(database_url, "INSERT INTO party (partyName) VALUES ('Blue')")
    (party,) = query(database_url, "SELECT partyId FROM party")[0]
    query(
        database_url,
        "INSERT INTO candidate (candidateName, partyId) VALUES ('A. Candidate', :party)",
        party=party,
    )

    assert run_cli(project, "--url", database_url, "upgrade").code == 0

    assert query(database_url, "SELECT electionId FROM candidate") == [(1,)]


def test_the_reference_env_py_is_flask_migrates_and_needs_current_app(project: Path) -> None:
    env_py = (project / "migrations" / "env.py").read_text()
    assert "from flask import current_app" in env_py
    # flask is not installed where the tool runs, so env.py could not even be imported
    probe = run_cli(project, "--url", f"sqlite:///{project / 'x.db'}", "upgrade")
    assert probe.code == 0, probe.output
