"""Every SQL block of the README runs on the file it names (`-- run on <path>` as its first line).

The named files are the demo's; here they are stand-ins built the same way (a real dbt build of
known staging rows, then a real publish), with the README's paths pointed at them."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.test_dbt_warehouse import shared_day_1_warehouse
from transforms.publish import publish

README = Path(__file__).resolve().parents[1] / "README.md"
SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)
RUN_ON = re.compile(r"^-- run on (\S+)")


def sql_blocks() -> list[str]:
    return SQL_BLOCK.findall(README.read_text(encoding="utf-8"))


def statements(block: str) -> list[str]:
    # statements end with ';' at the end of a line (comments after it allowed)
    parts, current = [], []
    for line in block.splitlines():
        current.append(line)
        if re.search(r";\s*(--.*)?$", line):
            parts.append("\n".join(current))
            current = []
    leftover = "\n".join(current).strip()
    if leftover and not all(line.strip().startswith("--") for line in leftover.splitlines()):
        parts.append(leftover)
    return parts


def test_every_sql_block_names_the_file_it_runs_on():
    blocks = sql_blocks()
    assert len(blocks) >= 2
    for block in blocks:
        assert RUN_ON.match(block), f"README SQL block without '-- run on <file>':\n{block[:200]}"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    working = shared_day_1_warehouse()
    published = publish(working, tmp_path_factory.mktemp("published"))
    return {"working": working, "bi": published.duckdb_path, "publish_dir": published.duckdb_path.parent}


@pytest.mark.parametrize("index", range(len(sql_blocks())))
def test_readme_sql_block_runs_on_its_file(index, files):
    block = sql_blocks()[index]
    target = RUN_ON.match(block).group(1)
    assert target.startswith("warehouse/") and target.endswith(".duckdb"), target
    path = files["bi"] if target.endswith("newsevents_bi.duckdb") else files["working"]
    # paths inside the SQL (Parquet files) point at the stand-in BI directory
    block = re.sub(r"'warehouse/(demo_)?published/", f"'{files['publish_dir']}/", block)
    con = duckdb.connect(str(path), read_only=True)
    try:
        for statement in statements(block):
            con.execute(statement).fetchall()
    finally:
        con.close()
