"""A small learned sub-event-type classifier, trained only on our own labelled text.

Why learned: trigger rules tuned on our own prose stopped generalising to real reporting (coder
notes, wire copy, headlines use many more ways of saying "clashed", "looted", "lynched").
A bag of word and character n-grams with a linear model spreads over those wordings.

Training text: transforms/data/training/*.jsonl (one file per sub-type plus hard negatives;
`sub_event_type` null = not an incident), written by the team in many voices. Build the model
with `make model` (`python -m transforms.extract.classifier`, needs scikit-learn); the result
is a small gzipped JSON file (transforms/data/subtype_model.json.gz) that records the hash of
the training data it came from. Extraction reads it with the standard library and NumPy
(no scikit-learn at run time: start-up stays fast and the model is a plain data file).

Features: lower-cased word unigrams and bigrams and character 4- and 5-grams within words, digits
folded to 0; each group weighted by sublinear tf x idf and L2-normalised on its own; a
multinomial logistic regression over those.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import operator
import re
import sys
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain
from pathlib import Path

from transforms.settings import PACKAGE_DATA_DIR as DATA_DIR

log = logging.getLogger(__name__)

TRAINING_DIR = DATA_DIR / "training"
MODEL_PATH = DATA_DIR / "subtype_model.json.gz"
NONE = "none"  # the label of text that reports no incident
CHAR_NGRAMS = (4, 5)
FEATURES_VERSION = "2"  # bump when featurize() changes: the model must be rebuilt
_TOKEN = re.compile(r"\w\w+")
_DIGITS = re.compile(r"\d+")


def featurize(text: str) -> dict[str, dict[str, int]]:
    """Counts of each feature, by group ("w" words and bigrams, "c" character n-grams)."""
    tokens = _tokens(text)
    chars = Counter(chain.from_iterable(map(_char_grams, tokens)))
    return {"w": _word_counts(tokens), "c": dict(chars)}


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_DIGITS.sub("0", text.lower()))


def _word_counts(tokens: list[str]) -> dict[str, int]:
    # Counter counts in C and keeps first-seen order, as the plain loops did (same vectors).
    sequence = tokens[:1]
    for previous, tok in zip(tokens, tokens[1:], strict=False):
        sequence.append(tok)
        sequence.append(previous + " " + tok)
    return dict(Counter(sequence))


@lru_cache(maxsize=65536)
def _char_grams(token: str) -> tuple[str, ...]:
    """The character n-grams of one padded token, in order (tokens repeat: computed once each)."""
    padded = f" {token} "
    return tuple(padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1))


def training_files(directory: Path = TRAINING_DIR) -> list[Path]:
    return sorted(directory.glob("*.jsonl"))


def training_hash(directory: Path = TRAINING_DIR) -> str:
    """Hash of the training text (names and bytes) and of the feature definition."""
    digest = hashlib.sha256(FEATURES_VERSION.encode())
    for path in training_files(directory):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_training(directory: Path = TRAINING_DIR) -> list[tuple[str, str]]:
    """(text, label) pairs; a malformed line is skipped with a warning, never fatal."""
    rows = []
    for path in training_files(directory):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = row["text"].strip()
            except (ValueError, KeyError, AttributeError):
                log.warning("training: skipped malformed line %s:%d", path.name, number)
                continue
            if text:
                rows.append((text, row.get("sub_event_type") or NONE))
    return rows


class SubtypeModel:
    """The exported model: idf and per-class weights of each kept feature."""

    def __init__(self, data: dict) -> None:
        import numpy  # only the dot product: a gather and a small matrix product

        self.classes: list[str] = data["classes"]
        self.training_hash: str = data["training_hash"]
        self.intercept = numpy.array(data["intercept"])
        self.idf: dict[str, float] = data["idf"]
        self.weights: dict[str, list[float]] = data["weights"]
        self.index = {key: i for i, key in enumerate(self.weights)}
        self.matrix = numpy.array(list(self.weights.values()), dtype=numpy.float64).reshape(
            len(self.weights), len(self.classes)
        )
        self._np = numpy
        # idf and matrix row of each kept feature by group and bare name: the text's features are
        # looked up without building "group:name" keys for the many the model does not keep.
        self._kept: dict[str, dict[str, tuple[float, int]]] = {}
        self._row_idf: dict[int, float] = {}
        for key, idf in self.idf.items():
            group, name = key.split(":", 1)
            if key in self.index:
                self._kept.setdefault(group, {})[name] = (idf, self.index[key])
                self._row_idf[self.index[key]] = idf
        self._row_key = {row: key for key, row in self.index.items()}
        self._token_rows: dict[str, tuple[int, ...]] = {}

    def _char_rows(self, token: str) -> tuple[int, ...]:
        """Matrix rows of the kept character n-grams of a token, in order (tokens repeat)."""
        rows = self._token_rows.get(token)
        if rows is None:
            kept = self._kept.get("c", {})
            rows = tuple(kept[gram][1] for gram in _char_grams(token) if gram in kept)
            if len(self._token_rows) < 65536:
                self._token_rows[token] = rows
        return rows

    def _weighted(self, text: str) -> tuple[list[int], list[float]]:
        """Matrix rows and tf-idf values (each feature group L2-normalised on its own) of the
        text's kept features, in featurize()'s order (the same sums, to the last bit)."""
        tokens = _tokens(text)
        kept_words = self._kept.get("w", {})
        word_rows = {kept_words[name][1]: count for name, count in _word_counts(tokens).items() if name in kept_words}
        # Counted by matrix row straight away: a kept n-gram has one row, first seen first.
        char_rows = Counter(chain.from_iterable(map(self._char_rows, tokens)))
        rows: list[int] = []
        out: list[float] = []
        idf_of = self._row_idf
        for counts in (word_rows, char_rows):
            values = [
                idf_of[row] if count == 1 else (1.0 + math.log(count)) * idf_of[row] for row, count in counts.items()
            ]
            rows += counts
            norm = math.sqrt(sum(map(operator.mul, values, values))) or 1.0
            out += [value / norm for value in values]
        return rows, out

    def vector(self, text: str) -> dict[str, float]:
        """The tf-idf vector the model was trained on (kept features only), each feature group
        L2-normalised on its own."""
        rows, values = self._weighted(text)
        return dict(zip((self._row_key[row] for row in rows), values, strict=True))

    def probabilities(self, text: str) -> dict[str, float]:
        np = self._np
        rows, values = self._weighted(text)
        scores = self.intercept.copy()
        if rows:
            scores += np.fromiter(values, dtype=np.float64, count=len(rows)) @ self.matrix[rows]
        exps = np.exp(scores - scores.max())
        probs = exps / exps.sum()
        return dict(zip(self.classes, probs.tolist(), strict=False))

    def anchor(self, text: str, label: str) -> tuple[int, int] | None:
        """Span of the word that speaks most for label (where a learned mention is anchored)."""
        column = self.classes.index(label)
        best, span = 0.0, None
        for m in _TOKEN.finditer(text):
            key = "w:" + _DIGITS.sub("0", m.group(0).lower())
            row = self.weights.get(key)
            if row is not None and row[column] * self.idf[key] > best:
                best, span = row[column] * self.idf[key], (m.start(), m.end())
        return span

    def best(self, text: str) -> tuple[str, float]:
        probs = self.probabilities(text)
        label = max(probs, key=probs.get)
        return label, probs[label]


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> SubtypeModel | None:
    """The shipped model, or None (rules only) when it is missing or unreadable."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return SubtypeModel(json.load(fh))
    except (OSError, ValueError, KeyError) as exc:
        log.warning(
            "sub-type model %s not usable (%s): extraction runs on rules only; build it with `make model`", path, exc
        )
        return None


def _matrix(rows: list[dict[str, dict[str, int]]], idf: dict[str, float]):
    from scipy.sparse import csr_matrix

    index = {key: i for i, key in enumerate(idf)}
    data, cols, ptr = [], [], [0]
    for feats in rows:
        for group, counts in feats.items():
            values = {}
            for name, count in counts.items():
                key = group + ":" + name
                if key in index:
                    values[index[key]] = (1.0 + math.log(count)) * idf[key]
            norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
            for col, value in values.items():
                cols.append(col)
                data.append(value / norm)
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), len(index)))


@contextmanager
def pandas_unblocked():
    """Some libraries block pandas by setting sys.modules["pandas"] = None, which scikit-learn's
    dataframe check does not expect: hide the blocker while scikit-learn runs."""
    blocked = "pandas" in sys.modules and sys.modules["pandas"] is None
    if blocked:
        del sys.modules["pandas"]
    try:
        yield
    finally:
        if blocked:
            sys.modules["pandas"] = None


def train(directory: Path = TRAINING_DIR, min_df: int = 2, C: float = 10.0) -> dict:
    """Fit the model on the training text (scikit-learn needed here only)."""
    from sklearn.linear_model import LogisticRegression

    rows = load_training(directory)
    if not rows:
        raise ValueError(f"no training text in {directory}")
    feats = [featurize(text) for text, _ in rows]
    df: dict[str, int] = {}
    for f in feats:
        for group, counts in f.items():
            for name in counts:
                key = group + ":" + name
                df[key] = df.get(key, 0) + 1
    n = len(rows)
    idf = {key: math.log((1 + n) / (1 + count)) + 1.0 for key, count in sorted(df.items()) if count >= min_df}
    X = _matrix(feats, idf)
    y = [label for _, label in rows]
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    with pandas_unblocked():
        model.fit(X, y)
    classes = [str(c) for c in model.classes_]
    coef = model.coef_ if len(classes) > 2 else None
    if coef is None:
        raise ValueError("training text needs at least three labels")
    weights = {}
    for j, key in enumerate(idf):
        column = [round(float(coef[i, j]), 4) for i in range(len(classes))]
        if max(abs(w) for w in column) >= 1e-3:
            weights[key] = column
    return {
        "classes": classes,
        "intercept": [round(float(b), 4) for b in model.intercept_],
        "idf": {key: round(value, 4) for key, value in idf.items() if key in weights},
        "weights": weights,
        "training_hash": training_hash(directory),
        "training_rows": n,
    }


def save(data: dict, path: Path = MODEL_PATH) -> None:
    # No name and mtime 0 in the gzip header: the same training text builds the same bytes.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Build transforms/data/subtype_model.json.gz from the training text."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    data = train()
    save(data)
    load_model.cache_clear()
    print(
        f"trained on {data['training_rows']} texts, {len(data['classes'])} labels, "
        f"{len(data['weights'])} features -> {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
