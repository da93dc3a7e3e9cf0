"""A compact text encoding of one respondent's answers: one character per question.

Why: a round with 10,000 responses must render its results page in well under 150 ms.
Storing each response's answers as one short string, in the framework's question order,
lets the web app load a whole round in a single query and decode it into a NumPy matrix
with one vectorised lookup instead of 150,000 rows or 10,000 JSON documents.

Characters: ``0-9`` then ``A-Z`` are steps above the scale minimum (so a 1-7 scale stores
``0``-``6``), ``?`` is "don't know", ``-`` is "not answered".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DONT_KNOW = "?"
MISSING = "-"

# Decoding table: byte -> step (0..35), -1 for don't know, -2 for missing, -3 for invalid.
_LOOKUP = np.full(256, -3, dtype=np.int16)
for _step, _char in enumerate(DIGITS):
    _LOOKUP[ord(_char)] = _step
_LOOKUP[ord(DONT_KNOW)] = -1
_LOOKUP[ord(MISSING)] = -2


class EncodingError(ValueError):
    """An answer string is malformed (wrong length or unknown character)."""


def encode(values: Sequence[int | str | None], scale_min: int) -> str:
    """Encode answers in question order: an int is a rating, ``None`` is "not answered",
    the string ``"?"`` is "don't know"."""
    out = []
    for value in values:
        if value is None:
            out.append(MISSING)
        elif value == DONT_KNOW:
            out.append(DONT_KNOW)
        else:
            step = int(value) - scale_min
            if not 0 <= step < len(DIGITS):
                raise EncodingError(f"value {value} is outside the encodable range")
            out.append(DIGITS[step])
    return "".join(out)


def decode_one(text: str, scale_min: int) -> list[int | str | None]:
    """The inverse of :func:`encode` for one string."""
    result: list[int | str | None] = []
    for char in text:
        if char == MISSING:
            result.append(None)
        elif char == DONT_KNOW:
            result.append(DONT_KNOW)
        else:
            step = DIGITS.find(char)
            if step < 0:
                raise EncodingError(f"unknown answer character {char!r}")
            result.append(scale_min + step)
    return result


def decode_matrix(
    texts: Sequence[str], n_questions: int, scale_min: int
) -> tuple[np.ndarray, np.ndarray]:
    """Decode many answer strings at once.

    Returns ``(values, dont_know)``: ``values`` is float64 ``(n, n_questions)`` with NaN
    where there is no rating; ``dont_know`` is a bool matrix of the same shape.
    """
    n = len(texts)
    if n == 0:
        return np.empty((0, n_questions)), np.zeros((0, n_questions), dtype=bool)
    joined = "".join(texts)
    if len(joined) != n * n_questions:
        bad = next(i for i, t in enumerate(texts) if len(t) != n_questions)
        raise EncodingError(f"answer string {bad} has length {len(texts[bad])}, not {n_questions}")
    raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(n, n_questions)
    steps = _LOOKUP[raw]
    if (steps == -3).any():
        raise EncodingError("unknown answer character")
    values = np.where(steps >= 0, steps + scale_min, np.nan).astype(np.float64)
    return values, steps == -1


def encode_matrix(values: np.ndarray, dont_know: np.ndarray, scale_min: int) -> list[str]:
    """Encode many respondents at once (the inverse of :func:`decode_matrix`)."""
    n, q = values.shape
    if n == 0:
        return []
    alphabet = np.frombuffer(DIGITS.encode("ascii"), dtype=np.uint8)
    rated = ~np.isnan(values)
    steps = np.where(rated, values - scale_min, 0).astype(np.int64)
    if (steps[rated] < 0).any() or (steps[rated] >= len(DIGITS)).any():
        raise EncodingError("value outside the encodable range")
    codes = np.where(rated, alphabet[steps], np.where(dont_know, ord(DONT_KNOW), ord(MISSING)))
    flat = codes.astype(np.uint8).tobytes().decode("ascii")
    return [flat[i * q : (i + 1) * q] for i in range(n)]
