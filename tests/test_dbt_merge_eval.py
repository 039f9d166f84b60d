"""Pairwise precision/recall of incident merging (transforms/merge_eval.py) and the CLI around it."""

from __future__ import annotations

import pytest

from orchestration.cli import main
from tests.test_dbt_warehouse import GOLD_DAY_1, query, shared_day_1_warehouse
from transforms.merge_eval import gold_clusters, pairwise_scores, predicted_clusters, together_pairs, url_key


def test_perfect_clustering_scores_one():
    gold = {"g1": {"a", "b", "c"}, "g2": {"d", "e"}, "g3": {"f"}}
    predicted = {"p1": {"c", "a", "b"}, "p2": {"e", "d"}, "p3": {"f"}}
    scores = pairwise_scores(predicted, gold)
    assert (scores.precision, scores.recall, scores.true_pairs, scores.gold_pairs) == (1.0, 1.0, 4, 4)


def test_over_merging_costs_precision_and_splitting_costs_recall():
    gold = {"g1": {"a", "b", "c"}, "g2": {"d", "e"}}
    over_merged = pairwise_scores({"p": {"a", "b", "c", "d", "e"}}, gold)
    # 10 predicted pairs, 4 of them true
    assert (over_merged.precision, over_merged.recall) == (0.4, 1.0)
    split = pairwise_scores({"p1": {"a", "b"}, "p2": {"c"}, "p3": {"d"}, "p4": {"e"}}, gold)
    # 1 of 4 gold pairs found, and it is right
    assert (split.precision, split.recall) == (1.0, 0.25)


def test_articles_reporting_two_incidents_pair_with_both():
    gold = {"g1": {"roundup", "x"}, "g2": {"roundup", "y"}}
    assert together_pairs(gold) == {("roundup", "x"), ("roundup", "y")}
    assert pairwise_scores({"p1": {"roundup", "x", "y"}}, gold).precision == pytest.approx(2 / 3)


def test_by_default_only_articles_on_both_sides_count():
    gold = {"g1": {"a", "b", "missed-by-extractor"}}
    predicted = {"p1": {"a", "b"}, "p2": {"invented"}}
    assert (pairwise_scores(predicted, gold).precision, pairwise_scores(predicted, gold).recall) == (1.0, 1.0)
    end_to_end = pairwise_scores(predicted, gold, common_articles_only=False)
    assert end_to_end.recall == pytest.approx(1 / 3)


def test_no_pairs_gives_no_score_rather_than_a_perfect_one():
    scores = pairwise_scores({"p1": {"a"}}, {"g1": {"a"}})
    assert (scores.precision, scores.recall, scores.f1) == (None, None, None)


def test_urls_match_gold_paths_with_query():
    assert url_key("http://127.0.0.1:8001/observer/index.php?id=12") == "/observer/index.php?id=12"
    predicted = predicted_clusters(
        [
            ("inc_1", "http://127.0.0.1:8001/herald/2026/11/15/a"),
            ("inc_1", "http://127.0.0.1:8001/ledger/story/b-1234567"),
        ]
    )
    gold = gold_clusters([("/herald/2026/11/15/a", ["g"]), ("/ledger/story/b-1234567", ["g"])])
    assert pairwise_scores(predicted, gold).precision == 1.0


def test_merging_of_synthetic_warehouse_scores_one():
    warehouse = shared_day_1_warehouse()
    rows = query(warehouse, "select incident_id, url from marts.fct_incident_reports")
    predicted = predicted_clusters(rows)
    by_slug = {url_key(url).rsplit("/", 1)[1].removesuffix(".html"): url for _, url in rows}
    gold = gold_clusters(
        (by_slug[slug], [incident]) for incident, members in GOLD_DAY_1.items() for _, slug, _ in members
    )
    scores = pairwise_scores(predicted, gold)
    assert (scores.precision, scores.recall, scores.gold_pairs) == (1.0, 1.0, 5)


def test_evaluate_merge_command_reports_missing_marts(tmp_path, capsys):
    empty = tmp_path / "empty.duckdb"
    assert main(["evaluate-merge", "--db", str(empty)]) == 1


def test_merging_alone_counts_only_reports_that_match_their_gold_incident():
    from datetime import date

    from transforms.merge_eval import GoldRecord, MentionRecord, align_mentions, aligned_scores

    day = date(2026, 11, 14)
    gold = [
        GoldRecord("/a", "bomb", "SO", "Explosions/Remote violence", day),
        GoldRecord("/a", "clash", "SO", "Battles", day),
        GoldRecord("/b", "bomb", "SO", "Explosions/Remote violence", day),
        GoldRecord("/c", "clash", "SO", "Battles", day),
        GoldRecord("/d", "bomb", "SO", "Explosions/Remote violence", day),
    ]
    mentions = [
        MentionRecord("/a", "a0", "inc_1", "SO", "Explosions/Remote violence", day),
        MentionRecord("/a", "a1", "inc_2", "SO", "Battles", day),
        MentionRecord("/b", "b0", "inc_1", "SO", "Explosions/Remote violence", date(2026, 11, 15)),
        MentionRecord("/c", "c0", "inc_1", "SO", "Battles", day),  # wrongly merged with the bomb
        MentionRecord("/d", "d0", "inc_9", "ET", "Explosions/Remote violence", day),  # wrong country
    ]
    aligned = align_mentions(mentions, gold)
    assert {mention: record.incident_id for mention, record in aligned.items()} == {
        "a0": "bomb",
        "a1": "clash",
        "b0": "bomb",
        "c0": "clash",
    }
    scores = aligned_scores(mentions, gold)
    # predicted pairs: a0-b0 (right), a0-c0 and b0-c0 (wrong); gold pairs: a0-b0, a1-c0 (missed)
    assert (scores.true_pairs, scores.predicted_pairs, scores.gold_pairs) == (1, 3, 2)
    assert scores.precision == pytest.approx(1 / 3) and scores.recall == 0.5
