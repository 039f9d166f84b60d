"""The labelled extraction dev set stays valid (taxonomy spelling, dates, coordinates, coverage)."""

import subprocess
import sys
from pathlib import Path

VALIDATOR = Path(__file__).parent / "data" / "devset" / "validate.py"


def test_devset_validates():
    result = subprocess.run([sys.executable, str(VALIDATOR)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_devset_b_validates():
    second = Path(__file__).parent / "data" / "devset_b"
    result = subprocess.run([sys.executable, str(VALIDATOR), str(second)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_devset_b_scores_stay_above_floors():
    # Floors a little under the figures reached (F1 0.957, sub-type 1.0, date 0.956, fatalities
    # 0.933); the set was written blind, so a fall here is a regression on unseen wording.
    from transforms.extract.evaluate import evaluate

    second = Path(__file__).parent / "data" / "devset_b"
    figures = evaluate(second / "cases.jsonl", second / "gold.json").figures()
    assert figures["detection_precision"] >= 0.9
    assert figures["detection_recall"] >= 0.93
    assert figures["sub_event_type"] >= 0.95
    assert figures["date"] >= 0.92
    assert figures["fatalities"] >= 0.9


def test_devset_c_validates():
    third = Path(__file__).parent / "data" / "devset_c"
    result = subprocess.run([sys.executable, str(VALIDATOR), str(third)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_devset_c_scores_stay_above_floors():
    # Full pages (bylines, captions, related-coverage lines, background tallies). Floors a little
    # under the figures reached (F1 0.936, precision 0.957, recall 0.917, sub-type 0.818, date
    # 0.864, fatalities 0.818); the set was written blind, so a fall is a regression on real pages.
    from transforms.extract.evaluate import evaluate

    third = Path(__file__).parent / "data" / "devset_c"
    figures = evaluate(third / "cases.jsonl", third / "gold.json").figures()
    assert figures["detection_precision"] >= 0.9
    assert figures["detection_recall"] >= 0.87
    assert figures["sub_event_type"] >= 0.77
    assert figures["date"] >= 0.82
    assert figures["fatalities"] >= 0.75


def test_devset_c_story_level_counts_stay_above_floors():
    # Story level, the figure the hidden full-article test reported: negatives with any event (1 of
    # 14 reached) and pages whose incident count is exact (27 of 30 = 0.9 reached).
    from transforms.extract.evaluate import evaluate

    third = Path(__file__).parent / "data" / "devset_c"
    figures = evaluate(third / "cases.jsonl", third / "gold.json").figures()
    assert figures["negatives"] == 14
    assert figures["negatives_with_events"] <= 2
    assert figures["incident_count_exact"] >= 0.83
