"""`newsevents extract` and `newsevents evaluate` through the real command line entry point."""

import io
import json
import sys

import pytest

from orchestration.cli import main

ARTICLE = (
    "MOGADISHU — A suicide bomber blew himself up at a restaurant in Mogadishu's Hodan district on "
    "Wednesday evening, killing seven people and wounding 15, police said. Al-Shabaab claimed the attack."
)
HTML = f"""<!doctype html><html><head><title>Suicide bomber kills seven in Mogadishu</title>
<meta property="article:published_time" content="2026-03-13T18:00:00Z"></head>
<body><article><h1>Suicide bomber kills seven in Mogadishu</h1>
<p>{ARTICLE}</p>
<p>The restaurant was popular with civil servants and was crowded at the time of the blast, witnesses said.
Ambulances took the wounded to Madina hospital, where doctors said several were in a critical condition.</p>
</article></body></html>"""


def run(argv, stdin_text=""):
    out, old_in, old_out = io.StringIO(), sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin_text.encode()), encoding="utf-8")
    sys.stdout = out
    try:
        code = main(argv)
    finally:
        sys.stdin, sys.stdout = old_in, old_out
    return code, out.getvalue()


def test_extract_text_file_prints_events_as_json(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code, out = run(["extract", str(path), "--published", "2026-03-14"])
    events = json.loads(out)
    assert code == 0
    assert [e["sub_event_type"] for e in events] == ["Suicide bomb"]
    assert events[0]["event_date"] == "2026-03-11"
    assert events[0]["fatalities"] == 7 and events[0]["injured"] == 15
    assert {"role": "perpetrator", "name": "Al-Shabaab"}.items() <= events[0]["actors"][0].items()
    start, end = events[0]["evidence"][0]
    assert ARTICLE[start:end].startswith("MOGADISHU")


def test_extract_html_goes_through_the_pipeline_parser(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    code, out = run(
        [
            "extract",
            str(path),
            "--html",
            "--url",
            "https://example.invalid/2026/03/13/blast",
            "--published",
            "2026-03-14",
        ]
    )
    assert code == 0
    assert [e["sub_event_type"] for e in json.loads(out)] == ["Suicide bomb"]


def test_extract_jsonl_batch_keeps_ids_and_reports_bad_lines():
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": ARTICLE, "published": "2026-03-14"}),
            json.dumps({"id": "b", "text": "Foreign ministers met to discuss trade.", "published": "2026-03-14"}),
            "{not json",
        ]
    )
    code, out = run(["extract", "--jsonl"], lines)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1  # one bad line
    assert rows[0]["id"] == "a" and rows[0]["events"][0]["sub_event_type"] == "Suicide bomb"
    assert rows[1] == {"id": "b", "events": [], "extractor_version": rows[0]["extractor_version"]}
    assert "error" in rows[2]


def test_extract_jsonl_implausible_publication_date_keeps_the_record():
    # A placeholder date (archives write 1753-01-01 for "unknown") must not cost the record: the date
    # is dropped with a warning, the text is still coded, and the batch succeeds.
    lines = "\n".join(
        [
            json.dumps({"id": "old", "text": ARTICLE, "published": "1753-01-01"}),
            json.dumps({"id": "ok", "text": ARTICLE, "published": "2026-03-14"}),
        ]
    )
    code, out = run(["extract", "--jsonl"], lines)
    old, ok = (json.loads(line) for line in out.splitlines())
    assert code == 0
    assert [e["sub_event_type"] for e in old["events"]] == ["Suicide bomb"]
    assert "1753-01-01" in old["warnings"][0]
    assert "warnings" not in ok and ok["events"][0]["event_date"] == "2026-03-11"


@pytest.fixture()
def tiny_set(tmp_path):
    cases = tmp_path / "cases.jsonl"
    gold = tmp_path / "gold.json"
    cases.write_text(
        "\n".join(
            json.dumps(c)
            for c in [
                {
                    "id": "x1",
                    "published": "2026-03-14",
                    "source_country": "KE",
                    "title": "Blast in Mogadishu",
                    "text": ARTICLE,
                },
                {
                    "id": "x2",
                    "published": "2026-03-14",
                    "source_country": "GB",
                    "title": "Trade talks",
                    "text": "Ministers met in Geneva on Friday to discuss trade.",
                },
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    gold.write_text(
        json.dumps(
            {
                "x1": {
                    "events": [
                        {
                            "event_type": "Explosions/Remote violence",
                            "sub_event_type": "Suicide bomb",
                            "event_date": "2026-03-11",
                            "date_precision": "day",
                            "location": "Mogadishu",
                            "admin1": "Banaadir",
                            "country_iso2": "SO",
                            "latitude": 2.04,
                            "longitude": 45.34,
                            "fatalities": 7,
                            "injured": 15,
                            "perpetrator": "al-Shabab",
                            "target": "Civilians",
                            "civilian_targeting": True,
                        }
                    ]
                },
                "x2": {"events": []},
            }
        ),
        encoding="utf-8",
    )
    return cases, gold


def test_evaluate_json_scores_a_perfect_small_set(tiny_set):
    cases, gold = tiny_set
    code, out = run(["evaluate", "--cases", str(cases), "--gold", str(gold), "--json"])
    figures = json.loads(out)
    assert code == 0
    assert figures["detection_f1"] == 1.0
    assert figures["sub_event_type"] == 1.0 and figures["date"] == 1.0 and figures["within_25km"] == 1.0
    assert figures["perpetrator"] == 1.0  # "al-Shabab" normalised through the actor dictionary
    assert figures["negatives"] == 1 and figures["negatives_with_events"] == 0
    assert figures["incident_count_exact"] == 1.0
    assert figures["articles_per_second"] > 0


def test_evaluate_errors_lists_misses(tiny_set, tmp_path):
    cases, gold = tiny_set
    data = json.loads(gold.read_text())
    data["x2"]["events"] = [dict(data["x1"]["events"][0], country_iso2="CH")]
    gold.write_text(json.dumps(data))
    code, out = run(["evaluate", "--cases", str(cases), "--gold", str(gold), "--errors"])
    assert code == 0
    assert "detection recall         0.5" in out
    assert '"kind": "missed"' in out and '"id": "x2"' in out


def test_evaluate_missing_file_is_a_clear_error(tmp_path, capsys):
    code, _ = run(["evaluate", "--cases", str(tmp_path / "nope.jsonl"), "--gold", str(tmp_path / "nope.json")])
    assert code == 2
