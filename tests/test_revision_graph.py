"""The revision graph built from statically read files, and every finding its analysis makes."""

from __future__ import annotations

import textwrap

import pytest
from alembic.script.revision import CycleDetected, Revision, RevisionMap

from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.graph.revision_files import read_revision_source
from alembic_sentinel.graph.revision_graph import (
    MERGE_FIX,
    RevisionGraph,
    analyze,
    check_declarations,
    unmerged_heads,
)
from alembic_sentinel.report.model import ERROR, WARNING, Finding

LINES = {"revision": 10, "down_revision": 11, "branch_labels": 12, "depends_on": 13}


def rev(
    revision: str,
    down: str | tuple[str, ...] | None = None,
    *,
    labels: tuple[str, ...] = (),
    depends: tuple[str, ...] = (),
    message: str = "",
    path: str | None = None,
) -> RevisionFile:
    return RevisionFile(
        path=path or f"versions/{revision}_{message.replace(' ', '_') or 'step'}.py",
        revision=revision,
        down_revisions=(down,) if isinstance(down, str) else (down or ()),
        branch_labels=labels,
        depends_on=depends,
        message=message,
        lines=dict(LINES),
    )


def graph_of(*files: RevisionFile) -> RevisionGraph:
    return RevisionGraph.build(files)


def findings_of(*files: RevisionFile) -> list[Finding]:
    return analyze(graph_of(*files))


def coded(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def alembic_map(*files: RevisionFile) -> RevisionMap:
    return RevisionMap(
        lambda: [
            Revision(
                f.revision,
                f.down_revisions or None,
                dependencies=f.depends_on or None,
                branch_labels=f.branch_labels or None,
            )
            for f in files
        ]
    )


# a -- b -- c -- d (head)
LINEAR = (rev("a"), rev("b", "a"), rev("c", "b"), rev("d", "c"))


# --- the graph's shape ----------------------------------------------------------------------


def test_a_linear_history_has_one_head_one_base_and_no_findings() -> None:
    graph = graph_of(*LINEAR)
    assert graph.heads() == ["d"]
    assert graph.bases() == ["a"]
    assert graph.merge_points() == []
    assert graph.branch_points() == []
    assert analyze(graph) == []


def test_depends_on_does_not_make_a_revision_a_non_head() -> None:
    # b depends on the head of another branch: that head stays a head, as in Alembic
    graph = graph_of(rev("a"), rev("lib1", labels=("lib",)), rev("b", "a", depends=("lib1",)))
    assert sorted(graph.heads()) == ["b", "lib1"]
    assert sorted(alembic_map(*graph.revisions.values()).heads) == ["b", "lib1"]


def test_a_base_with_depends_on_is_still_a_base() -> None:
    graph = graph_of(rev("a"), rev("lib1", labels=("lib",), depends=("a",)))
    assert sorted(graph.bases()) == ["a", "lib1"]


def test_merge_points_and_branch_points_of_a_diamond() -> None:
    graph = graph_of(rev("a"), rev("b", "a"), rev("c", "a"), rev("m", ("b", "c")))
    assert graph.merge_points() == ["m"]
    assert graph.branch_points() == ["a"]
    assert graph.heads() == ["m"]
    assert graph.bases() == ["a"]


def test_depths_on_a_diamond_are_the_longest_distance_from_the_base() -> None:
    #   a -- b -- c -- d
    #    \              \
    #     e ------------ m
    graph = graph_of(
        rev("a"), rev("b", "a"), rev("c", "b"), rev("d", "c"), rev("e", "a"), rev("m", ("d", "e"))
    )
    assert graph.depths() == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 1, "m": 4}


def test_depths_leave_out_revisions_in_a_cycle_and_terminate() -> None:
    graph = graph_of(rev("a"), rev("b", ("a", "c")), rev("c", "b"))
    assert graph.depths() == {"a": 0}


def test_common_ancestor_is_the_nearest_fork() -> None:
    # a -- b -- c -- d
    #       \
    #        e -- f
    graph = graph_of(rev("a"), rev("b", "a"), rev("c", "b"), rev("d", "c"), rev("e", "b"))
    graph = graph_of(*graph.revisions.values(), rev("f", "e"))
    assert graph.common_ancestor(["d", "f"]) == "b"
    assert graph.common_ancestor(["d", "c"]) == "c"
    assert graph.common_ancestor(["d"]) == "d"


def test_common_ancestor_of_the_two_sides_of_a_diamond_is_its_top() -> None:
    graph = graph_of(rev("a"), rev("b", "a"), rev("c", "a"), rev("m", ("b", "c")), rev("n", "c"))
    assert graph.common_ancestor(["m", "n"]) == "c"
    assert graph.common_ancestor(["b", "c"]) == "a"


def test_common_ancestor_of_unrelated_histories_is_none() -> None:
    graph = graph_of(rev("a"), rev("b", "a"), rev("x", labels=("lib",)), rev("y", "x"))
    assert graph.common_ancestor(["b", "y"]) is None


def test_common_ancestor_ignores_a_missing_parent_they_share() -> None:
    graph = graph_of(rev("b", "gone"), rev("c", "gone"))
    assert graph.common_ancestor(["b", "c"]) is None


def test_branch_of_a_linear_history_is_newest_first_back_to_the_stop() -> None:
    graph = graph_of(*LINEAR)
    assert graph.branch("d", "b") == ["d", "c"]
    assert graph.branch("d", None) == ["d", "c", "b", "a"]
    assert graph.branch("b", "d") == []


def test_branch_through_a_diamond_lists_every_revision_before_its_parents() -> None:
    #   a -- b -- c -- d
    #    \              \
    #     e ------------ m
    graph = graph_of(
        rev("a"), rev("b", "a"), rev("c", "b"), rev("d", "c"), rev("e", "a"), rev("m", ("d", "e"))
    )
    branch = graph.branch("m", None)
    assert sorted(branch) == ["a", "b", "c", "d", "e", "m"]
    position = {name: index for index, name in enumerate(branch)}
    for name in branch:
        for parent in graph.revisions[name].down_revisions:
            assert position[name] < position[parent], branch
    # the first parent's line follows its child
    assert branch[:2] == ["m", "d"]
    assert graph.branch("m", "a") == [r for r in branch if r != "a"]


def test_branch_includes_a_missing_parent_by_name_and_terminates_in_a_cycle() -> None:
    assert graph_of(rev("b", "gone"), rev("c", "b")).branch("c", None) == ["c", "b", "gone"]
    cyclic = graph_of(rev("a", "c"), rev("b", "a"), rev("c", "b"))
    assert sorted(cyclic.branch("c", None)) == ["a", "b", "c"]


def test_the_last_file_declaring_a_revision_wins_as_in_alembic() -> None:
    first = rev("b", "a", path="versions/b_one.py")
    second = rev("b", "x", path="versions/b_two.py")
    graph = graph_of(rev("a"), rev("x", "a"), first, second)
    assert graph.revisions["b"].path == "versions/b_two.py"
    assert graph.duplicates == [(first, second)]


# --- G101 multiple heads --------------------------------------------------------------------


def test_two_heads_from_one_fork_are_each_reported_with_their_branch_to_the_fork() -> None:
    # a -- b -- c -- d     (head, "add d")
    #       \
    #        e -- f        (head, "add f")
    findings = findings_of(
        rev("a"),
        rev("b", "a"),
        rev("c", "b"),
        rev("d", "c", message="add d"),
        rev("e", "b"),
        rev("f", "e", message="add f"),
    )
    assert [f.code for f in findings] == ["G101", "G101"]
    by_path = {f.path: f for f in findings}
    on_d = by_path["versions/d_add_d.py"]
    assert on_d.message == ("head d (add d) is one of 2 heads (also f); its branch since b: d <- c")
    assert (on_d.severity, on_d.name, on_d.line, on_d.fix) == (
        ERROR,
        "multiple-heads",
        LINES["revision"],
        MERGE_FIX,
    )
    assert by_path["versions/f_add_f.py"].message == (
        "head f (add f) is one of 2 heads (also d); its branch since b: f <- e"
    )
    assert MERGE_FIX == "alembic-sentinel merge heads"


def test_three_heads_name_every_other_head() -> None:
    findings = coded(findings_of(rev("a"), rev("b", "a"), rev("c", "a"), rev("d", "a")), "G101")
    assert len(findings) == 3
    on_b = next(f for f in findings if f.path == "versions/b_step.py")
    assert "one of 3 heads (also c, d)" in on_b.message
    assert "its branch since a: b" in on_b.message


def test_many_heads_name_a_few_others_and_count_the_rest() -> None:
    # naming every other head in each finding would grow as the square of the head count
    heads = [rev(name, "a") for name in "bcdefg"]
    findings = coded(findings_of(rev("a"), *heads), "G101")
    assert len(findings) == 6
    on_b = next(f for f in findings if f.path == "versions/b_step.py")
    assert on_b.message == (
        "head b is one of 6 heads (also c, d, e and 2 more); its branch since a: b"
    )
    on_g = next(f for f in findings if f.path == "versions/g_step.py")
    assert "one of 6 heads (also b, c, d and 2 more)" in on_g.message


def test_merged_heads_are_not_reported() -> None:
    assert findings_of(rev("a"), rev("b", "a"), rev("c", "a"), rev("m", ("b", "c"))) == []


def test_heads_whose_branches_each_carry_their_own_label_are_deliberate() -> None:
    findings = findings_of(
        rev("a"),
        rev("b", "a", labels=("billing",)),
        rev("c", "b"),
        rev("d", "a", labels=("reports",)),
    )
    assert findings == []
    assert unmerged_heads(graph_of(rev("a"), rev("b", "a", labels=("x",)), rev("c", "a"))) != []


def test_heads_are_reported_when_only_one_branch_is_labelled() -> None:
    findings = findings_of(rev("a"), rev("b", "a", labels=("billing",)), rev("c", "a"))
    assert len(coded(findings, "G101")) == 2


def test_a_label_on_the_fork_itself_does_not_separate_the_branches() -> None:
    findings = findings_of(rev("a", labels=("main",)), rev("b", "a"), rev("c", "a"))
    assert len(coded(findings, "G101")) == 2


def test_a_label_shared_by_both_branches_below_the_fork_does_not_separate_them() -> None:
    # criss-cross: both heads descend from the labelled "x"
    findings = findings_of(
        rev("a"),
        rev("x", "a", labels=("feature",)),
        rev("y", "a"),
        rev("h1", ("x", "y")),
        rev("h2", ("y", "x")),
    )
    assert len(coded(findings, "G101")) == 2


def test_independent_labelled_histories_are_not_multiple_heads() -> None:
    findings = findings_of(
        rev("a"), rev("b", "a"), rev("lib1", labels=("lib",)), rev("lib2", "lib1")
    )
    assert findings == []


def test_heads_linked_only_through_a_merge_of_two_roots_are_one_group() -> None:
    # a -- h1          the three heads share roots pairwise (h1/m through a, h2/m through b)
    #  \               and must be merged together, whatever order the files come in
    #   m
    #  /
    # b -- h2
    files = [rev("a"), rev("b"), rev("h1", "a"), rev("h2", "b"), rev("m", ("a", "b"))]
    for order in (files, files[::-1], [files[2], files[3], files[4], files[0], files[1]]):
        groups = unmerged_heads(graph_of(*order))
        assert [sorted(heads) for heads, _ in groups] == [["h1", "h2", "m"]]
        assert groups[0][1] is None
        heads_reported = {f.path for f in coded(findings_of(*order), "G101")}
        assert heads_reported == {
            "versions/h1_step.py",
            "versions/h2_step.py",
            "versions/m_step.py",
        }


def test_two_separate_groups_without_a_common_ancestor_are_both_reported() -> None:
    files = []
    for side in ("p", "q"):
        files += [
            rev(f"{side}a", labels=(f"{side}-a",)),
            rev(f"{side}b", labels=(f"{side}-b",)),
            rev(f"{side}1", f"{side}a"),
            rev(f"{side}2", f"{side}b"),
            rev(f"{side}m", (f"{side}a", f"{side}b")),
        ]
    groups = unmerged_heads(graph_of(*files))
    assert sorted(sorted(heads) for heads, _ in groups) == [
        ["p1", "p2", "pm"],
        ["q1", "q2", "qm"],
    ]
    assert len(coded(findings_of(*files), "G101")) == 6


def test_heads_below_a_revision_with_a_missing_parent_still_need_a_merge() -> None:
    findings = findings_of(rev("b", "gone"), rev("c", "b"), rev("d", "b"))
    assert len(coded(findings, "G101")) == 2
    assert len(coded(findings, "G102")) == 1


# --- G102 missing parent --------------------------------------------------------------------


def test_a_down_revision_naming_no_revision_is_a_missing_parent() -> None:
    findings = findings_of(rev("a"), rev("b", "a"), rev("c", ("b", "gone")))
    assert [f.code for f in findings] == ["G102"]
    problem = findings[0]
    assert problem.message == "down_revision gone of c is not in any version location"
    assert (problem.path, problem.line, problem.severity) == (
        "versions/c_step.py",
        LINES["down_revision"],
        ERROR,
    )


def test_a_complete_history_has_no_missing_parent() -> None:
    assert coded(findings_of(*LINEAR), "G102") == []


# --- G103 duplicate revision ----------------------------------------------------------------


def test_one_revision_id_in_two_files_is_a_duplicate() -> None:
    findings = findings_of(
        rev("a"),
        rev("b", "a", path="versions/b_first.py"),
        rev("b", "a", path="versions/b_second.py"),
    )
    assert [f.code for f in findings] == ["G103"]
    problem = findings[0]
    assert problem.path == "versions/b_second.py"
    assert problem.message == "revision b is also declared in versions/b_first.py"
    assert problem.line == LINES["revision"]


def test_distinct_revision_ids_are_not_duplicates() -> None:
    assert coded(findings_of(*LINEAR), "G103") == []


# --- G104 cycle -----------------------------------------------------------------------------


def test_a_down_revision_cycle_between_a_base_and_a_head_is_reported_once() -> None:
    # Alembic's map accepts this one (its check only catches revisions that no head or no base
    # reaches); `upgrade` would then walk it in a wrong order. Reported all the same.
    files = (rev("a"), rev("b", ("a", "d")), rev("c", "b"), rev("d", "c"), rev("e", "d"))
    findings = findings_of(*files)
    assert [f.code for f in findings] == ["G104"]
    assert findings[0].message == "revisions form a cycle: b -> c -> d"
    assert (findings[0].path, findings[0].line) == ("versions/b_step.py", LINES["down_revision"])
    assert alembic_map(*files).heads == ("e",)


def test_a_cycle_with_no_base_and_no_head_terminates_and_alembic_refuses_it_too() -> None:
    files = (rev("a", "c"), rev("b", "a"), rev("c", "b"))
    findings = findings_of(*files)
    assert [(f.code, f.message) for f in findings] == [
        ("G104", "revisions form a cycle: a -> b -> c")
    ]
    with pytest.raises(CycleDetected):
        alembic_map(*files).heads  # noqa: B018


def test_a_revision_naming_itself_is_a_cycle() -> None:
    findings = findings_of(rev("a"), rev("b", ("a", "b")))
    assert [(f.code, f.message) for f in findings] == [("G104", "revisions form a cycle: b")]


def test_a_depends_on_cycle_is_reported_and_alembic_refuses_it_too() -> None:
    # b revises a, a depends on b
    files = (rev("a", depends=("b",)), rev("b", "a"))
    assert [f.code for f in findings_of(*files)] == ["G104"]
    with pytest.raises(CycleDetected):
        alembic_map(*files).heads  # noqa: B018


def test_a_depends_on_cycle_through_a_branch_label_is_reported() -> None:
    files = (rev("a"), rev("b", "a", depends=("lib",)), rev("l1", labels=("lib",), depends=("b",)))
    assert [f.code for f in findings_of(*files)] == ["G104"]
    with pytest.raises(CycleDetected):
        alembic_map(*files).heads  # noqa: B018


def test_depends_on_an_ancestor_or_another_branch_is_not_a_cycle() -> None:
    files = (
        rev("a"),
        rev("b", "a"),
        rev("c", "b", depends=("a",)),
        rev("l1", labels=("lib",), depends=("a",)),
        rev("d", "c", depends=("lib",)),
    )
    assert findings_of(*files) == []
    assert sorted(alembic_map(*files).heads) == ["d", "l1"]


def test_two_separate_cycles_are_two_findings() -> None:
    findings = findings_of(rev("a", "b"), rev("b", "a"), rev("x", "y"), rev("y", "x"))
    assert sorted(f.message for f in findings) == [
        "revisions form a cycle: a -> b",
        "revisions form a cycle: x -> y",
    ]


def test_a_long_chain_is_analyzed_without_recursion_limits() -> None:
    chain = [rev("r0")] + [rev(f"r{i}", f"r{i - 1}") for i in range(1, 3000)]
    assert findings_of(*chain) == []
    assert findings_of(*chain[1:], rev("r0", "r2999"))[0].code == "G104"


# --- G105 multiple bases --------------------------------------------------------------------


def test_a_second_unlabelled_base_is_reported_on_the_smaller_history() -> None:
    findings = findings_of(*LINEAR, rev("x", message="stray start"), rev("y", "x"))
    assert [f.code for f in findings] == ["G105"]
    problem = findings[0]
    assert problem.path == "versions/x_stray_start.py"
    assert problem.line == LINES["down_revision"]
    assert problem.message == (
        "revision x (stray start) has down_revision = None: a second base besides a"
    )
    assert problem.severity == ERROR


def test_a_second_base_with_a_branch_label_is_a_deliberate_branch() -> None:
    assert findings_of(*LINEAR, rev("x", labels=("lib",)), rev("y", "x")) == []


def test_a_labelled_base_larger_than_the_main_history_does_not_make_the_main_one_stray() -> None:
    labelled = [rev("l0", labels=("lib",))] + [rev(f"l{i}", f"l{i - 1}") for i in range(1, 8)]
    assert findings_of(rev("a"), rev("b", "a"), *labelled) == []


def test_three_unlabelled_bases_report_the_two_smaller_ones() -> None:
    findings = findings_of(*LINEAR, rev("x"), rev("y"), rev("y2", "y"))
    assert sorted(str(f.path) for f in coded(findings, "G105")) == [
        "versions/x_step.py",
        "versions/y_step.py",
    ]


# --- G106 unknown dependency ----------------------------------------------------------------


def test_depends_on_naming_nothing_is_an_unknown_dependency() -> None:
    findings = findings_of(rev("a"), rev("b", "a", depends=("nowhere",)))
    assert [f.code for f in findings] == ["G106"]
    assert findings[0].message == "depends_on nowhere of b names no revision or branch label"
    assert (findings[0].path, findings[0].line) == ("versions/b_step.py", LINES["depends_on"])


def test_depends_on_a_revision_id_or_a_branch_label_is_known() -> None:
    files = (rev("a"), rev("l1", labels=("lib",)), rev("b", "a", depends=("lib", "l1", "a")))
    assert coded(findings_of(*files), "G106") == []


# --- F204 / F205 / F206 declarations ----------------------------------------------------------


def parsed(source: str, path: str) -> RevisionFile:
    revision, findings = read_revision_source(textwrap.dedent(source), path)
    assert findings == []
    assert revision is not None
    return revision


def test_a_docstring_revision_id_that_disagrees_with_the_code() -> None:
    file = parsed(
        '''\
        """add things

        Revision ID: 111111111111
        Revises:
        """
        revision = "222222222222"
        down_revision = None
        ''',
        "versions/222222222222_add_things.py",
    )
    findings = check_declarations([file])
    assert [(f.code, f.name, f.severity, f.line) for f in findings] == [
        ("F204", "revision-id-mismatch", WARNING, 6)
    ]
    assert "111111111111" in findings[0].message and "222222222222" in findings[0].message


def test_a_docstring_revises_line_that_disagrees_with_the_code() -> None:
    file = parsed(
        '''\
        """add things

        Revision ID: b2
        Revises: a0
        """
        revision = "b2"
        down_revision = "a1"
        ''',
        "versions/b2_add_things.py",
    )
    findings = check_declarations([file])
    assert [(f.code, f.name, f.line) for f in findings] == [("F205", "revises-mismatch", 7)]
    assert findings[0].message == "docstring says Revises: a0, the code says down_revision = a1"


def test_a_revises_line_on_a_revision_that_became_a_base() -> None:
    file = parsed(
        '"""x\n\nRevision ID: b2\nRevises: a1\n"""\nrevision = "b2"\ndown_revision = None\n',
        "versions/b2_x.py",
    )
    findings = check_declarations([file])
    assert [f.code for f in findings] == ["F205"]
    assert findings[0].message.endswith("down_revision = nothing")


def test_a_merge_revises_line_in_another_order_agrees() -> None:
    file = parsed(
        '''\
        """merge

        Revision ID: m3
        Revises: b2, a1
        """
        revision = "m3"
        down_revision = ("a1", "b2")
        ''',
        "versions/m3_merge.py",
    )
    assert check_declarations([file]) == []


def test_a_merge_revises_line_missing_a_parent_disagrees() -> None:
    file = parsed(
        '"""m\n\nRevises: a1\n"""\nrevision = "m3"\ndown_revision = ("a1", "b2")\n',
        "versions/m3_merge.py",
    )
    assert [f.code for f in check_declarations([file])] == ["F205"]


def test_a_file_name_without_its_revision_id() -> None:
    findings = check_declarations([rev("b2", "a1", path="versions/add_things.py")])
    assert [(f.code, f.name, f.path, f.line) for f in findings] == [
        ("F206", "filename-mismatch", "versions/add_things.py", LINES["revision"])
    ]
    assert findings[0].fix == "rename it to b2_<slug>.py"


def test_the_directory_name_does_not_count_as_the_file_name() -> None:
    findings = check_declarations([rev("b2", path="versions/b2/add_things.py")])
    assert [f.code for f in findings] == ["F206"]


def test_consistent_declarations_and_no_docstring_have_no_findings() -> None:
    assert check_declarations(list(LINEAR)) == []
    assert check_declarations([rev("b2", "a1", path="versions/2024_01_01_b2_add.py")]) == []


def test_an_unreadable_down_revision_never_turns_its_file_into_a_second_base() -> None:
    sources = {
        "versions/a1_first.py": 'revision = "a1"\ndown_revision = None\n',
        "versions/b2_second.py": 'revision = "b2"\ndown_revision = parent_of("b2")\n',
        "versions/c3_third.py": 'revision = "c3"\ndown_revision = "b2"\n',
    }
    files: list[RevisionFile] = []
    problems: list[Finding] = []
    for path, source in sources.items():
        file, found = read_revision_source(source, path)
        problems += found
        files += [file] if file is not None else []
    assert [(f.code, f.path, f.line) for f in problems] == [("F203", "versions/b2_second.py", 2)]
    findings = findings_of(*files)
    assert [(f.code, f.path) for f in findings] == [("G102", "versions/c3_third.py")]


def test_a_branch_label_used_twice_or_equal_to_a_revision_id_is_g108() -> None:
    graph = RevisionGraph.build(
        [
            RevisionFile(path="a.py", revision="a", down_revisions=(), branch_labels=("x",)),
            RevisionFile(path="b.py", revision="b", down_revisions=("a",), branch_labels=("x",)),
            RevisionFile(path="c.py", revision="c", down_revisions=("b",), branch_labels=("a",)),
        ]
    )
    clashes = [f for f in analyze(graph) if f.code == "G108"]
    assert [(f.path, f.message) for f in clashes] == [
        ("b.py", "branch label 'x' of b is already a branch label of a"),
        ("c.py", "branch label 'a' of c is already a revision"),
    ]


def test_distinct_branch_labels_are_no_clash() -> None:
    graph = RevisionGraph.build(
        [
            RevisionFile(path="a.py", revision="a", down_revisions=(), branch_labels=("x",)),
            RevisionFile(path="b.py", revision="b", down_revisions=("a",), branch_labels=("y",)),
        ]
    )
    assert [f for f in analyze(graph) if f.code == "G108"] == []


def test_a_repeated_parent_is_a_merge_point_as_alembic_counts_it() -> None:
    graph = RevisionGraph.build(
        [
            RevisionFile(path="a.py", revision="a", down_revisions=()),
            RevisionFile(path="b.py", revision="b", down_revisions=("a", "a")),
        ]
    )
    assert graph.merge_points() == ["b"]
    assert graph.heads() == ["b"]
