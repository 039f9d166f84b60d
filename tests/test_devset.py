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
