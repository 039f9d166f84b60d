"""The learned sub-type classifier: built from our own training text, read without scikit-learn."""

import gzip
import json
import logging

import pytest

from transforms.extract import classifier


def test_the_shipped_model_is_built_from_the_shipped_training_text():
    model = classifier.load_model()
    assert model is not None, "run `make model`"
    assert model.training_hash == classifier.training_hash(), "training text changed: run `make model`"
    assert classifier.MODEL_PATH.stat().st_size < 20 * 1024 * 1024


def test_the_shipped_model_knows_every_sub_type_and_non_incidents():
    from transforms.extract.taxonomy import sub_event_types

    model = classifier.load_model()
    assert set(model.classes) == set(sub_event_types()) | {classifier.NONE}


def test_training_text_lines_are_well_formed_and_use_taxonomy_values():
    from transforms.extract.taxonomy import event_type_of

    rows = 0
    for path in classifier.training_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            assert row["text"].strip()
            if row["sub_event_type"] is not None:
                assert event_type_of(row["sub_event_type"]) == row["event_type"]
            rows += 1
    assert rows >= 1000


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A model trained on a tiny corpus in a temporary directory (one bad line among them)."""
    pytest.importorskip("sklearn")
    directory = tmp_path_factory.mktemp("training")
    texts = {
        "Mob violence": [
            "a mob lynched a thief at the market",
            "villagers beat a suspected thief to death",
            "the crowd lynched two men accused of theft",
            "residents beat and burned a robber",
        ],
        "Peaceful protest": [
            "hundreds of teachers marched peacefully to demand pay",
            "students staged a sit-in",
            "traders protested peacefully against new taxes",
            "nurses marched to demand wages",
        ],
        None: [
            "the central bank raised interest rates",
            "the team won the cup final on penalties",
            "heavy rains flooded the capital",
            "the minister opened a new hospital wing",
        ],
    }
    lines = []
    for sub, items in texts.items():
        for text in items:
            lines.append(json.dumps({"text": text, "event_type": None, "sub_event_type": sub, "voice": "test"}))
    lines.append("{not json")
    (directory / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = classifier.train(directory, min_df=1)
    path = directory / "model.json.gz"
    classifier.save(data, path)
    return directory, path, data


def test_a_malformed_training_line_is_skipped_with_a_warning(tiny, caplog):
    directory, _, data = tiny
    with caplog.at_level(logging.WARNING):
        rows = classifier.load_training(directory)
    assert len(rows) == 12 and data["training_rows"] == 12
    assert "malformed" in caplog.text


def test_pure_inference_matches_scikit_learn(tiny):
    """The file the extractor reads gives the probabilities the fitted model gives."""
    from sklearn.linear_model import LogisticRegression

    directory, path, data = tiny
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        model = classifier.SubtypeModel(json.load(fh))
    rows = classifier.load_training(directory)
    feats = [classifier.featurize(text) for text, _ in rows]
    idf = {key: value for key, value in data["idf"].items()}
    with classifier.pandas_unblocked():
        fitted = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced").fit(
            classifier._matrix(feats, idf), [label for _, label in rows]
        )
    for text in ("a mob beat a thief", "teachers marched to demand pay", "rates rose at the bank"):
        with classifier.pandas_unblocked():
            proba = fitted.predict_proba(classifier._matrix([classifier.featurize(text)], idf))[0]
        expected = dict(zip(fitted.classes_, proba, strict=False))
        got = model.probabilities(text)
        for label, p in expected.items():
            assert got[label] == pytest.approx(p, abs=0.02)
    assert model.best("villagers lynched a thief")[0] == "Mob violence"
    assert model.best("the bank raised rates")[0] == classifier.NONE


def test_the_same_text_builds_the_same_file(tiny, tmp_path):
    directory, path, _ = tiny
    again = tmp_path / "again.json.gz"
    classifier.save(classifier.train(directory, min_df=1), again)
    assert again.read_bytes() == path.read_bytes()


def test_a_missing_model_leaves_the_rules_working(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert classifier.load_model(tmp_path / "absent.json.gz") is None
    assert "rules only" in caplog.text
