"""``platsa opinion``: Pol.is exports in, groups and consensus out; bad files exit 2 with a
message naming the row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from platsa.cli import main
from platsa.core.opinion import polis_io
from platsa.core.opinion.matrix import VoteMatrix
from tests.core.opinion.planted import planted_votes


def _write_export(tmp_path: Path, sizes: tuple[int, ...], *, moderated: str | None = None) -> Path:
    votes, _ = planted_votes(sizes, 20, seed=11)
    ids = {p: str(i) for i, p in enumerate(dict.fromkeys(p for p, _, _ in votes))}
    rows = [
        polis_io.Vote(ids[p], s.removeprefix("s"), v, timestamp=1_000 + i)
        for i, (p, s, v) in enumerate(votes)
    ]
    (tmp_path / "votes.csv").write_text(polis_io.write_votes(rows), encoding="utf-8")
    comments = [
        polis_io.Comment(str(j), f"Statement number {j}", "0", -1 if str(j) == moderated else 1)
        for j in range(20)
    ]
    (tmp_path / "comments.csv").write_text(polis_io.write_comments(comments), encoding="utf-8")
    matrix = VoteMatrix.from_votes([(r.participant, r.statement, r.vote) for r in rows])
    (tmp_path / "participants-votes.csv").write_text(
        polis_io.write_participants_votes(matrix), encoding="utf-8"
    )
    return tmp_path


def test_json_has_the_issue_shape_with_ids_as_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = _write_export(tmp_path, (40, 30), moderated="3")
    code = main(
        [
            "opinion",
            "--votes",
            str(d / "votes.csv"),
            "--comments",
            str(d / "comments.csv"),
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["participants"] == 70
    assert data["statements"] == 19
    assert len(data["groups"]) == 2
    assert data["reason"] is None
    members = sorted(m for g in data["groups"] for m in g["members"])
    assert members == list(range(70))  # integers, as the file writes them
    reps = [r for g in data["groups"] for r in g["representative"]]
    assert reps
    assert all(isinstance(r, int) and r != 3 for r in reps)
    assert all(isinstance(c, int) for c in data["consensus"])


def test_wide_export_gives_the_same_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = _write_export(tmp_path, (40, 30))
    assert main(["opinion", "--votes", str(d / "votes.csv"), "--format", "json"]) == 0
    long = json.loads(capsys.readouterr().out)
    assert (
        main(
            [
                "opinion",
                "--participants-votes",
                str(d / "participants-votes.csv"),
                "--format",
                "json",
            ]
        )
        == 0
    )
    wide = json.loads(capsys.readouterr().out)
    as_sets = lambda data: {frozenset(g["members"]) for g in data["groups"]}  # noqa: E731
    assert as_sets(long) == as_sets(wide)


def test_text_names_groups_statements_and_consensus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = _write_export(tmp_path, (40, 30))
    assert (
        main(["opinion", "--votes", str(d / "votes.csv"), "--comments", str(d / "comments.csv")])
        == 0
    )
    out = capsys.readouterr().out
    assert "Group 0:" in out
    assert "Group 1:" in out
    assert "members" in out
    assert "Statement number" in out
    assert "Consensus" in out


def test_few_participants_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _write_export(tmp_path, (10, 8))
    assert main(["opinion", "--votes", str(d / "votes.csv"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["groups"] == []
    assert data["reason"] == "too_few_participants"
    assert main(["opinion", "--votes", str(d / "votes.csv")]) == 0
    assert "No groups: too few participants" in capsys.readouterr().out


def test_malformed_row_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "votes.csv"
    f.write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0,1,yes\n", encoding="utf-8"
    )
    assert main(["opinion", "--votes", str(f)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err
    assert "'yes'" in err


def test_swedish_text_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang sv`` (or PLATSA_LANG=sv) says it all in Swedish, errors included; the JSON's
    keys and codes stay as they are, for programs."""
    d = _write_export(tmp_path, (40, 30))
    assert main(["--lang", "sv", "opinion", "--votes", str(d / "votes.csv")]) == 0
    out = capsys.readouterr().out
    assert "70 deltagare, 20 påståenden" in out
    assert "Grupp 0:" in out
    assert "Samsyn" in out
    assert "håller med" in out
    assert "Group" not in out
    assert (
        main(["--lang", "sv", "opinion", "--votes", str(d / "votes.csv"), "--format", "json"]) == 0
    )
    assert "groups" in json.loads(capsys.readouterr().out)
    (tmp_path / "small").mkdir()
    small = _write_export(tmp_path / "small", (10, 8))
    assert main(["--lang", "sv", "opinion", "--votes", str(small / "votes.csv")]) == 0
    assert "Inga grupper: för få deltagare" in capsys.readouterr().out
    f = tmp_path / "bad.csv"
    f.write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,yes\n", encoding="utf-8")
    assert main(["--lang", "sv", "opinion", "--votes", str(f)]) == 2
    assert "bad.csv, rad 2: rösten 'yes' är inte 1, -1 eller 0" in capsys.readouterr().err


def test_wrong_encoding_and_missing_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "votes.csv"
    f.write_bytes(b"timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,\xe5r,0,1,1\n")
    assert main(["opinion", "--votes", str(f)]) == 2
    assert "line 3" in capsys.readouterr().err
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["opinion", "--votes", str(f)]) == 2
    assert "missing column(s): comment-id, voter-id, vote" in capsys.readouterr().err


def test_too_large_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = _write_export(tmp_path, (10, 8))
    monkeypatch.setattr(polis_io, "MAX_FILE_BYTES", 1000)
    assert main(["opinion", "--votes", str(d / "votes.csv")]) == 2
    assert "at most 1 000 are read" in capsys.readouterr().err


def test_round_trip_of_the_export_files(tmp_path: Path) -> None:
    d = _write_export(tmp_path, (10, 8), moderated="5")
    votes = polis_io.read_votes((d / "votes.csv").read_bytes())
    assert polis_io.write_votes(votes) == (d / "votes.csv").read_text(encoding="utf-8")
    comments = polis_io.read_comments((d / "comments.csv").read_bytes())
    assert polis_io.moderated_out(comments) == {"5"}
    assert polis_io.write_comments(comments.values()) == (d / "comments.csv").read_text(
        encoding="utf-8"
    )
    wide = polis_io.read_participants_votes((d / "participants-votes.csv").read_bytes())
    m = VoteMatrix.from_votes(wide.votes, statement_ids=wide.statement_ids)
    assert polis_io.write_participants_votes(m) == (d / "participants-votes.csv").read_text(
        encoding="utf-8"
    )


def test_one_of_a_kind_is_said_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One statement is "1 påstående", not "1 påståenden", in either language."""
    f = tmp_path / "votes.csv"
    f.write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0,1,-1\n", encoding="utf-8"
    )
    assert main(["--lang", "sv", "opinion", "--votes", str(f)]) == 0
    assert capsys.readouterr().out.startswith("2 deltagare, 1 påstående, ")
    assert main(["--lang", "en", "opinion", "--votes", str(f)]) == 0
    assert capsys.readouterr().out.startswith("2 participants, 1 statement, ")


def test_a_missing_file_or_a_folder_is_named_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The usual reasons a file cannot be read come in the reader's language, not the
    system's English ("No such file or directory")."""
    missing = tmp_path / "borta.csv"
    assert main(["--lang", "sv", "opinion", "--votes", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"{missing}: filen finns inte" in err
    assert "No such file" not in err
    assert main(["--lang", "sv", "opinion", "--votes", str(tmp_path)]) == 2
    assert "är en mapp, inte en fil" in capsys.readouterr().err
    assert main(["opinion", "--votes", str(missing)]) == 2
    assert "there is no such file" in capsys.readouterr().err


def test_a_field_too_long_to_be_a_comment_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "comments.csv"
    f.write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        f'1,x,0,0,0,0,1,"{"x" * (polis_io.MAX_FIELD_CHARS + 1)}"\n',
        encoding="utf-8",
    )
    votes = tmp_path / "votes.csv"
    votes.write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n", encoding="utf-8")
    args = ["--lang", "sv", "opinion", "--votes", str(votes), "--comments", str(f)]
    assert main(args) == 2
    assert "comments.csv, rad 2: ett fält med mer än 100 000 tecken" in capsys.readouterr().err
