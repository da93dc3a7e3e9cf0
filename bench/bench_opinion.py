"""Opinion mapping (issue 10): our Pol.is pipeline against red-dwarf 0.4.0, the Python
re-implementation of Pol.is's math, on the same matrices.

1. Speed and peak memory on one 10,000 x 1,000 matrix (about 1,000,000 distinct votes,
   three planted groups): each side runs in its own process; time is the pipeline from vote arrays (ours)
   or the vote list (red-dwarf's input) to groups, and peak memory is the whole process's
   maximum resident set (``os.wait4``'s rusage of that child). Targets: at least 10x faster
   than red-dwarf, under 0.8 s and 300 MB.
2. End to end on a sparse 100,000 x 2,000 matrix with 5,000,000 votes (target: 3 s),
   from vote arrays in casting order (with repeated votes) to the result.
3. ``--real``: on the Pol.is open-data conversations in ../shared/data/polis, the number of
   groups next to Pol.is's (``summary.csv``) and red-dwarf's, and the adjusted Rand index
   of our groups against red-dwarf's and against Pol.is's own (participants-votes.csv).
   red-dwarf gets every vote and the moderated-out statement ids, as it is meant to run.

red-dwarf pulls in pandas, scikit-learn and requests, so it lives in its own virtualenv:

    python -m venv /tmp/rdvenv && /tmp/rdvenv/bin/pip install red-dwarf==0.4.0
    .venv/bin/python bench/bench_opinion.py [--real] [--red-dwarf-python /tmp/rdvenv/bin/python]

Data attribution (the conversations of --real): Data was gathered using the Polis software
(compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to The
Computational Democracy Project (https://compdemocracy.org/case-studies/).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from platsa.core.opinion.agreement import adjusted_rand  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polis"
DEFAULT_RD_PYTHON = os.environ.get(
    "RED_DWARF_PYTHON",
    "/tmp/rdvenv/bin/python",  # noqa: S108 (a path the operator chose, not a temporary file)
)
TARGET_SPEEDUP = 10.0
TARGET_SMALL_S = 0.8
TARGET_SMALL_MB = 300.0
TARGET_LARGE_S = 3.0


def planted(
    n: int, p: int, n_votes: int, *, groups: int = 3, seed: int = 1, unique: bool = False
) -> dict[str, np.ndarray]:
    """Votes of ``n`` participants on ``p`` statements, each participant in one of
    ``groups`` planted groups voting its group's way 70 % of the time; pairs repeat (a
    participant changing their mind), as in a live conversation."""
    rng = np.random.default_rng(seed)
    member = rng.integers(0, groups, n)
    pref = rng.choice(np.array([-1, 0, 1]), size=(groups, p))
    rows = rng.integers(0, n, n_votes)
    cols = rng.integers(0, p, n_votes)
    noise = rng.choice(np.array([-1, 0, 1]), n_votes)
    vals = np.where(rng.random(n_votes) < 0.7, pref[member[rows], cols], noise).astype(np.int8)
    if unique:  # red-dwarf's pivot refuses repeated pairs: keep each pair's last vote
        key = rows.astype(np.int64) * p + cols
        _, last = np.unique(key[::-1], return_index=True)
        keep = np.sort(n_votes - 1 - last)
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
    return {"rows": rows, "cols": cols, "vals": vals, "n": np.array(n), "p": np.array(p)}


# --- children: each side in its own process ------------------------------------------------


def child_ours(npz: str) -> dict[str, Any]:
    from platsa.core.opinion.matrix import VoteMatrix
    from platsa.core.opinion.pipeline import analyse

    d = np.load(npz)
    n, p = int(d["n"]), int(d["p"])
    pids = [str(i) for i in range(n)]
    sids = [str(j) for j in range(p)]
    rows, cols, vals = d["rows"], d["cols"], d["vals"]
    started = time.perf_counter()
    m = VoteMatrix.from_arrays(rows, cols, vals, participant_ids=pids, statement_ids=sids)
    result = analyse(m, seed=0)
    seconds = time.perf_counter() - started
    labels = {pid: g.id for g in result.groups for pid in g.members}
    return {"seconds": seconds, "groups": len(result.groups), "labels": labels}


def child_red_dwarf(npz: str) -> dict[str, Any]:
    import warnings

    warnings.filterwarnings("ignore")
    from reddwarf.implementations.polis import run_pipeline  # only in red-dwarf's venv

    d = np.load(npz, allow_pickle=False)
    mod_out = [int(x) for x in d["mod_out"]] if "mod_out" in d else []
    rows, cols, vals = d["rows"].tolist(), d["cols"].tolist(), d["vals"].tolist()
    votes = [
        {"participant_id": r, "statement_id": c, "vote": v, "modified": i}
        for i, (r, c, v) in enumerate(zip(rows, cols, vals, strict=True))
    ]
    started = time.perf_counter()
    result = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=0)
    seconds = time.perf_counter() - started
    df = result.participants_df
    clustered = df["cluster_id"].dropna()
    labels = {str(pid): int(c) for pid, c in zip(clustered.index, clustered, strict=True)}
    return {"seconds": seconds, "groups": len(set(labels.values())), "labels": labels}


def run_child(python: str, side: str, npz: str) -> dict[str, Any]:
    """Run one side in a fresh process; return its report and its peak RSS in MB."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    proc = subprocess.Popen(
        [python, str(Path(__file__).resolve()), "--child", side, npz, out_path], env=env
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{side} failed with status {proc.returncode}")
    report = json.loads(Path(out_path).read_text())
    Path(out_path).unlink()
    report["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes
    report["process_s"] = wall
    return report


# --- comparisons -----------------------------------------------------------------------------


def ari_on_common(ours: dict[str, int], theirs: dict[str, int]) -> tuple[float, int]:
    common = sorted(set(ours) & set(theirs))
    if len(common) < 2:
        return float("nan"), len(common)
    return adjusted_rand([ours[c] for c in common], [theirs[c] for c in common]), len(common)


def moderated_ids(folder: Path) -> frozenset[str]:
    from platsa.core.opinion import polis_io

    comments = polis_io.read_comments((folder / "comments.csv").read_bytes())
    return polis_io.moderated_out(comments)


def raw_matrix(folder: Path, source: str) -> Any:
    """The conversation's votes with the moderated-out statements kept (for red-dwarf)."""
    from platsa.core.opinion import polis_io
    from platsa.core.opinion.matrix import VoteMatrix

    if source == "votes.csv":
        votes = polis_io.read_votes((folder / "votes.csv").read_bytes())
        return VoteMatrix.from_votes((v.participant, v.statement, v.vote) for v in votes)
    wide = polis_io.read_participants_votes((folder / "participants-votes.csv").read_bytes())
    return VoteMatrix.from_votes(wide.votes)


def real(rd_python: str | None) -> None:
    from platsa.core.opinion.pipeline import analyse
    from platsa.core.opinion.polis_io import read_conversation

    print(
        "conversation                         source  polis ours rd   ARI(ours,rd) ARI(ours,polis)"
    )
    matches = rd_matches = total = 0
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        if not (folder / "votes.csv").exists() and not (folder / "participants-votes.csv").exists():
            continue
        conv = read_conversation(folder)
        summary = dict(
            line.split(",", 1)
            for line in (folder / "summary.csv").read_text().splitlines()
            if "," in line
        )
        polis_k = int(summary["groups"])
        result = analyse(conv.matrix, seed=0)
        ours = {pid: g.id for g in result.groups for pid in g.members}
        rd_k: int | str = "-"
        ari_rd = "-"
        if rd_python:
            # red-dwarf gets every vote, moderated-out statements included, and their ids: it
            # zeroes those columns and counts their votes towards the 7, as Pol.is does.
            m = raw_matrix(folder, conv.source)
            v = m.values
            with tempfile.NamedTemporaryFile(suffix=".npz", delete=False) as f:
                npz = f.name
            rows = np.repeat(np.arange(v.shape[0]), np.diff(v.indptr))
            pid_int = np.array([int(p) for p in m.participant_ids])
            sid_int = np.array([int(s) for s in m.statement_ids])
            mod_out = np.array(sorted(int(s) for s in moderated_ids(folder)), dtype=np.int64)
            np.savez(
                npz,
                rows=pid_int[rows],
                cols=sid_int[v.indices],
                vals=v.data.astype(np.int8),
                mod_out=mod_out,
            )
            rd = run_child(rd_python, "red-dwarf", npz)
            Path(npz).unlink()
            rd_k = rd["groups"]
            rd_matches += int(rd_k == polis_k)
            if rd_k == len(result.groups) and ours:
                ari_rd = f"{ari_on_common(ours, rd['labels'])[0]:.3f}"
        polis_labels = {p: int(g) for p, g in conv.polis_groups.items() if g.strip()}
        ari_polis = "-"
        if ours and polis_labels and len(set(polis_labels.values())) == len(result.groups):
            ari_polis = f"{ari_on_common(ours, polis_labels)[0]:.3f}"
        total += 1
        matches += int(polis_k == len(result.groups))
        print(
            f"{folder.name[:36]:36s} {conv.source[:6]:6s}  {polis_k:5d} {len(result.groups):4d} "
            f"{rd_k!s:4s} {ari_rd:>12s} {ari_polis:>15s}"
        )
    print(f"same number of groups as Pol.is: ours {matches} of {total}", end="")
    print(f", red-dwarf {rd_matches} of {total}" if rd_python else "")


def speed(rd_python: str | None, workdir: Path) -> None:
    small = workdir / "small.npz"
    np.savez(small, **planted(10_000, 1_000, 1_050_000, unique=True))
    n_small = len(np.load(small)["vals"])
    ours = run_child(sys.executable, "ours", str(small))
    print(
        f"10k x 1k, {n_small:,} votes  ours: {ours['seconds']:.3f} s pipeline, "
        f"{ours['process_s']:.2f} s process, {ours['peak_mb']:.0f} MB peak, {ours['groups']} groups"
        f"  (targets {TARGET_SMALL_S} s, {TARGET_SMALL_MB:.0f} MB)"
    )
    if rd_python:
        rd = run_child(rd_python, "red-dwarf", str(small))
        print(
            f"10k x 1k, {n_small:,} votes  red-dwarf: {rd['seconds']:.3f} s pipeline, "
            f"{rd['process_s']:.2f} s process, {rd['peak_mb']:.0f} MB peak, {rd['groups']} groups"
        )
        ari, n = ari_on_common(ours["labels"], rd["labels"])
        print(
            f"  speed-up {rd['seconds'] / ours['seconds']:.1f}x (pipeline), "
            f"{rd['process_s'] / ours['process_s']:.1f}x (process); memory "
            f"{rd['peak_mb'] / ours['peak_mb']:.1f}x less; ARI {ari:.3f} over {n} participants"
            f"  (target >= {TARGET_SPEEDUP:.0f}x)"
        )
    large = workdir / "large.npz"
    np.savez(large, **planted(100_000, 2_000, 5_000_000))
    big = run_child(sys.executable, "ours", str(large))
    print(
        f"100k x 2k, 5,000,000 votes ours: {big['seconds']:.3f} s end to end, "
        f"{big['process_s']:.2f} s process, {big['peak_mb']:.0f} MB peak, {big['groups']} groups"
        f"  (target {TARGET_LARGE_S} s)"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        side, npz, out = sys.argv[2], sys.argv[3], sys.argv[4]
        report = child_ours(npz) if side == "ours" else child_red_dwarf(npz)
        Path(out).write_text(json.dumps(report))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--red-dwarf-python", default=DEFAULT_RD_PYTHON)
    parser.add_argument("--no-red-dwarf", action="store_true")
    parser.add_argument("--real", action="store_true", help="compare on the real conversations")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    rd_python = None if args.no_red_dwarf else args.red_dwarf_python
    if rd_python and not Path(rd_python).exists():
        print(f"red-dwarf's python {rd_python} not found; comparing without it", file=sys.stderr)
        rd_python = None
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_speed:
            speed(rd_python, Path(tmp))
    if args.real:
        real(rd_python)


if __name__ == "__main__":
    main()
