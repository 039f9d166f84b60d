"""Score the extractor on a labelled set (cases.jsonl + gold.json).

Within each case, predicted and gold events are paired greedily by similarity; pairs count as
detected events, and the field figures are shares of pairs whose field agrees. Actor names are
compared after both sides go through the actor dictionary.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from transforms.extract import extract_events
from transforms.extract.actors import normalise_actor_name
from transforms.extract.places import distance_km
from transforms.records import EventMention

FIELDS = (
    "event_type",
    "sub_event_type",
    "date",
    "country",
    "admin1",
    "within_25km",
    "fatalities",
    "perpetrator",
    "target",
)


@dataclass
class Score:
    cases: int = 0
    gold_events: int = 0
    predicted_events: int = 0
    matched: int = 0
    agree: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})
    counted: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})
    seconds: float = 0.0
    words: int = 0
    # Story level: what a reader of whole articles sees (a non-incident story reporting one).
    negatives: int = 0
    negatives_with_events: int = 0
    count_exact: int = 0
    errors: list[dict] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        precision = self.matched / self.predicted_events if self.predicted_events else 1.0
        recall = self.matched / self.gold_events if self.gold_events else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out: dict[str, float | int] = {
            "cases": self.cases,
            "gold_events": self.gold_events,
            "predicted_events": self.predicted_events,
            "matched_events": self.matched,
            "detection_precision": round(precision, 3),
            "detection_recall": round(recall, 3),
            "detection_f1": round(f1, 3),
        }
        for f in FIELDS:
            out[f] = round(self.agree[f] / self.counted[f], 3) if self.counted[f] else None
        out["negatives"] = self.negatives
        out["negatives_with_events"] = self.negatives_with_events
        out["incident_count_exact"] = round(self.count_exact / self.cases, 3) if self.cases else None
        out["articles_per_second"] = round(self.cases / self.seconds, 1) if self.seconds else None
        out["words_per_article"] = round(self.words / self.cases) if self.cases else 0
        return out


def load_cases(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def norm_admin1(name: str | None) -> str | None:
    if not name:
        return None
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[-'’`]", " ", text)
    text = re.sub(
        r"\b(?:al|el|as|ad|an|ar|governorate|province|state|region|oblast|district|"
        r"department|prefecture|muhafazat|mayorality of|territory|capital|federal|of|the)\b",
        " ",
        text,
    )
    return "".join(text.split())


def _same_actor(gold: str | None, predicted: list[str]) -> bool:
    if gold is None:
        return not predicted
    wanted = normalise_actor_name(gold)
    return any(normalise_actor_name(p) == wanted for p in predicted)


def _similarity(pred: EventMention, gold: dict) -> float:
    score = 0.0
    if pred.sub_event_type == gold.get("sub_event_type"):
        score += 2
    if pred.event_type == gold.get("event_type"):
        score += 1
    if pred.event_date and str(pred.event_date) == gold.get("event_date"):
        score += 1
    if pred.country_iso2 and pred.country_iso2 == gold.get("country_iso2"):
        score += 1
    if _within(pred, gold, 25):
        score += 1
    return score


def _within(pred: EventMention, gold: dict, km: float) -> bool:
    if None in (pred.latitude, pred.longitude, gold.get("latitude"), gold.get("longitude")):
        return False
    return distance_km(pred.latitude, pred.longitude, gold["latitude"], gold["longitude"]) <= km


def _field_checks(pred: EventMention, gold: dict) -> dict[str, bool]:
    return {
        "event_type": pred.event_type == gold.get("event_type"),
        "sub_event_type": pred.sub_event_type == gold.get("sub_event_type"),
        "date": str(pred.event_date) == gold.get("event_date"),
        "country": pred.country_iso2 == gold.get("country_iso2"),
        "admin1": norm_admin1(pred.admin1) == norm_admin1(gold.get("admin1")),
        "within_25km": _within(pred, gold, 25),
        "fatalities": pred.fatalities == gold.get("fatalities"),
        "perpetrator": _same_actor(gold.get("perpetrator"), [a.name for a in pred.perpetrators]),
        "target": _same_actor(gold.get("target"), [a.name for a in pred.targets]),
    }


def _describe(pred: EventMention) -> dict:
    return {
        "sub_event_type": pred.sub_event_type,
        "event_date": str(pred.event_date),
        "location": pred.location,
        "admin1": pred.admin1,
        "country_iso2": pred.country_iso2,
        "fatalities": pred.fatalities,
        "perpetrators": [a.name for a in pred.perpetrators],
        "targets": [a.name for a in pred.targets],
        "evidence": pred.evidence_text[:200],
    }


def evaluate(cases_path: Path, gold_path: Path) -> Score:
    cases = load_cases(cases_path)
    gold_all = json.loads(gold_path.read_text(encoding="utf-8"))
    score = Score()
    extract_events("warm-up", date(2026, 1, 1))  # load the gazetteer outside the timing
    for case in cases:
        gold_events = gold_all.get(case["id"], {}).get("events", [])
        published = date.fromisoformat(case["published"][:10])
        started = time.perf_counter()
        predicted = extract_events(
            case["text"],
            published,
            title=case.get("title"),
            source_country=case.get("source_country"),
            language=case.get("language"),  # absent: English
        )
        score.seconds += time.perf_counter() - started
        score.cases += 1
        score.words += len(case["text"].split())
        score.gold_events += len(gold_events)
        score.predicted_events += len(predicted)
        score.negatives += not gold_events
        score.negatives_with_events += bool(predicted) and not gold_events
        score.count_exact += len(predicted) == len(gold_events)
        pairs = sorted(
            ((_similarity(p, g), pi, gi) for pi, p in enumerate(predicted) for gi, g in enumerate(gold_events)),
            reverse=True,
        )
        used_p, used_g = set(), set()
        for _sim, pi, gi in pairs:
            if pi in used_p or gi in used_g:
                continue
            used_p.add(pi)
            used_g.add(gi)
            score.matched += 1
            checks = _field_checks(predicted[pi], gold_events[gi])
            for name, ok in checks.items():
                score.counted[name] += 1
                score.agree[name] += ok
            wrong = [n for n, ok in checks.items() if not ok]
            if wrong:
                score.errors.append(
                    {
                        "id": case["id"],
                        "kind": "field",
                        "fields": wrong,
                        "gold": gold_events[gi],
                        "predicted": _describe(predicted[pi]),
                    }
                )
        for gi, g in enumerate(gold_events):
            if gi not in used_g:
                score.errors.append({"id": case["id"], "kind": "missed", "gold": g})
        for pi, p in enumerate(predicted):
            if pi not in used_p:
                score.errors.append({"id": case["id"], "kind": "spurious", "predicted": _describe(p)})
    return score


def format_report(figures: dict) -> str:
    labels = [
        ("cases", "cases"),
        ("gold_events", "gold events"),
        ("predicted_events", "predicted events"),
        ("matched_events", "matched events"),
        ("detection_precision", "detection precision"),
        ("detection_recall", "detection recall"),
        ("detection_f1", "detection F1"),
        ("event_type", "event type accuracy"),
        ("sub_event_type", "sub-event type accuracy"),
        ("date", "date exact"),
        ("country", "country"),
        ("admin1", "admin1"),
        ("within_25km", "within 25 km"),
        ("fatalities", "fatalities exact"),
        ("perpetrator", "perpetrator match"),
        ("target", "target match"),
        ("negatives", "negatives"),
        ("negatives_with_events", "negatives with events"),
        ("incident_count_exact", "incident count exact"),
        ("articles_per_second", "articles per second"),
        ("words_per_article", "words per article"),
    ]
    width = max(len(label) for _, label in labels)
    return "\n".join(f"{label:<{width}}  {figures.get(key)}" for key, label in labels)
