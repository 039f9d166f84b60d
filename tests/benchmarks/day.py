"""A synthetic news day of N articles, served on 127.0.0.1, through the real daily job.

    python -m tests.benchmarks.day --articles 5000 [--sources 20] [--workers 2] [--keep DIR]
    make bench-day                      # N = 5,000

A separate server process serves S outlets, each on its own loopback port (its own politeness
host), with varied templates (JSON-LD, OpenGraph meta, a legacy table layout, a heavy widget page)
and discovery by RSS, sitemap or sitemap index. A share of the articles report incidents (our own
sentence templates over a list of towns), some at country or region level only, and many
incidents are reported by several outlets in different words, so merging has work to do.

The daily Dagster job (`daily_job`, in process, as `newsevents run` runs it) crawls, parses,
extracts and builds the dbt project into a fresh DuckDB file, then publishes the BI copy. Prints
wall and CPU seconds per step (from Dagster's step events), articles/s end to end, peak memory
(the largest process's RSS, and the summed PSS of this process and its children: worker pools
and dbt), and the rows landed per table. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import itertools
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DAY = date(2026, 11, 20)
TEMPLATES = ("jsonld", "opengraph", "legacy", "widgets")
DISCOVERY = ("rss", "sitemap", "sitemap_index")
INCIDENT_SHARE = 0.35  # articles that report an incident
REPORTS_PER_INCIDENT = 1.6  # mean articles per incident: cross-outlet duplicates
COUNTRY_LEVEL_SHARE = 0.2  # incident reports located only to a region or country

# Towns the offline gazetteer knows, with their country (general geography, not from any dataset).
TOWNS = (
    ("Maiduguri", "Nigeria"),
    ("Kano", "Nigeria"),
    ("Jos", "Nigeria"),
    ("Goma", "the Democratic Republic of the Congo"),
    ("Bunia", "the Democratic Republic of the Congo"),
    ("Mosul", "Iraq"),
    ("Kirkuk", "Iraq"),
    ("Basra", "Iraq"),
    ("Aleppo", "Syria"),
    ("Homs", "Syria"),
    ("Kandahar", "Afghanistan"),
    ("Kunduz", "Afghanistan"),
    ("Peshawar", "Pakistan"),
    ("Quetta", "Pakistan"),
    ("Mogadishu", "Somalia"),
    ("Kismayo", "Somalia"),
    ("Gao", "Mali"),
    ("Mopti", "Mali"),
    ("Ouagadougou", "Burkina Faso"),
    ("Niamey", "Niger"),
    ("Khartoum", "Sudan"),
    ("Nyala", "Sudan"),
    ("Aden", "Yemen"),
    ("Taiz", "Yemen"),
    ("Kharkiv", "Ukraine"),
    ("Kherson", "Ukraine"),
    ("Garissa", "Kenya"),
    ("Bamenda", "Cameroon"),
    ("Maroua", "Cameroon"),
    ("Cucuta", "Colombia"),
    ("Culiacan", "Mexico"),
    ("Benghazi", "Libya"),
    ("Mandalay", "Myanmar"),
    ("Cotabato", "Philippines"),
    ("Imphal", "India"),
    ("Port-au-Prince", "Haiti"),
)
REGIONS = (
    ("northeastern Nigeria", "Nigeria"),
    ("Borno state", "Nigeria"),
    ("eastern Congo", "the Democratic Republic of the Congo"),
    ("northern Mali", "Mali"),
    ("southern Somalia", "Somalia"),
    ("Darfur", "Sudan"),
    ("northern Iraq", "Iraq"),
    ("Balochistan province", "Pakistan"),
    ("eastern Ukraine", "Ukraine"),
    ("the Sahel region of Burkina Faso", "Burkina Faso"),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "15", "20")

# Incident sentence templates, our own words: {n} casualties, {place}, {day} the weekday.
INCIDENTS = (
    ("attack", "Gunmen killed {n} people in an attack on a market in {place} on {day}, local officials said."),
    ("attack", "{N} villagers were shot dead when armed men stormed their homes near {place} late on {day}."),
    ("attack", "Suspected militants opened fire on worshippers leaving a mosque in {place} on {day}, killing {n}."),
    (
        "bomb",
        "A roadside bomb struck an army convoy outside {place} on {day}, killing {n} soldiers, the military said.",
    ),
    ("bomb", "A car bomb exploded near a police checkpoint in {place} on {day}, wounding {n} people."),
    ("bomb", "At least {n} people died when a suicide bomber blew himself up at a bus station in {place} on {day}."),
    ("shelling", "Artillery shells hit residential streets in {place} on {day}, killing {n} civilians, rescuers said."),
    ("drone", "A drone strike on a vehicle in {place} on {day} killed {n} fighters, according to a security source."),
    (
        "clash",
        "Government troops clashed with rebel fighters on the outskirts of {place} on {day}; {n} fighters were killed.",
    ),
    ("abduction", "Gunmen abducted {n} passengers from a bus travelling to {place} on {day}, police said."),
    ("protest", "Thousands of protesters marched through {place} on {day} to demand lower fuel prices."),
    (
        "riot",
        "Rioters set fire to shops and cars in {place} on {day} after a disputed election result; police fired "
        "tear gas.",
    ),
)
FOLLOW_UPS = (
    "Hospital staff said several of the wounded were in a serious condition.",
    "No group immediately claimed responsibility for the violence.",
    "Residents said the gunfire lasted for more than an hour before reinforcements arrived.",
    "The governor condemned the attack and promised that those responsible would be found.",
    "Aid workers said families had begun leaving the area for nearby towns.",
    "A spokesman for the security forces said an investigation had been opened.",
)
BACKGROUND = (
    "The region has seen repeated violence over the past two years, and peace talks have stalled.",
    "Analysts say the government has struggled to extend its authority beyond the main cities.",
    "The United Nations has called for humanitarian access to the worst affected districts.",
    "Elections are due next year, and opposition parties have warned of rising tension.",
    "Thousands of people have been displaced by fighting since the start of the year.",
    "The army says it has regained control of several roads that were cut off last month.",
)
ORDINARY = (
    "The central bank kept its main interest rate unchanged on {day}, citing slowing inflation.",
    "Exporters reported a strong harvest season, with coffee and tea shipments up on last year.",
    "The national football team named an unchanged squad for next week's qualifying match.",
    "A new bridge over the river opened to traffic on {day}, cutting journey times for commuters.",
    "Ministers met business leaders to discuss plans for a free trade zone near the port.",
    "The festival drew large crowds to the old city, with music and food stalls lining the streets.",
    "Shares in the largest telecoms company rose after it reported higher quarterly profits.",
    "Teachers welcomed the start of the new school year and the arrival of new textbooks.",
    "Farmers said late rains had delayed planting in several districts of the north.",
    "The city council approved a budget for new bus routes and street lighting.",
    "Scientists at the national university presented research on drought resistant crops.",
    "The tourism board said visitor numbers had recovered to their level of five years ago.",
)
NAV_SECTIONS = (
    "World",
    "Africa",
    "Middle East",
    "Asia",
    "Americas",
    "Europe",
    "Business",
    "Sport",
    "Culture",
    "Opinion",
    "Science",
    "Health",
    "Technology",
    "Travel",
    "Video",
    "Podcasts",
)


# ---------------------------------------------------------------------------- the synthetic day


def article_count(n_articles: int, n_sources: int, source: int) -> int:
    return n_articles // n_sources + (1 if source < n_articles % n_sources else 0)


def published_at(source: int, index: int, count: int) -> datetime:
    minutes = int((index + 0.5) * 24 * 60 / max(count, 1))
    return datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC) + timedelta(minutes=minutes, seconds=source)


def story(n_articles: int, source: int, index: int) -> tuple[str, list[str]]:
    """(title, paragraphs) of one article; deterministic in its arguments."""
    rng = random.Random(f"{source}/{index}")
    day = WEEKDAYS[(DAY - timedelta(days=1)).weekday()]
    if rng.random() < INCIDENT_SHARE:
        n_incidents = max(1, int(n_articles * INCIDENT_SHARE / REPORTS_PER_INCIDENT))
        incident = random.Random(f"incident/{rng.randrange(n_incidents)}")  # shared across outlets
        kind_index = incident.randrange(len(INCIDENTS))
        n = incident.choice(NUMBER_WORDS)
        if incident.random() < COUNTRY_LEVEL_SHARE:
            place, country = incident.choice(REGIONS)
        else:
            town, country = incident.choice(TOWNS)
            place = f"{town}, {country}" if rng.random() < 0.5 else town
        kinds = [i for i, (kind, _) in enumerate(INCIDENTS) if kind == INCIDENTS[kind_index][0]]
        template = INCIDENTS[rng.choice(kinds)][1]  # each outlet words it its own way
        lead = template.format(n=n, N=n.capitalize(), place=place, day=day)
        paragraphs = [lead] + rng.sample(FOLLOW_UPS, 2) + rng.sample(BACKGROUND, rng.randint(2, 4))
        paragraphs.insert(2, f"The violence in {country} has drawn condemnation from neighbouring governments.")
        title = lead.split(",")[0].split(" on ")[0][:90]
    else:
        paragraphs = [p.format(day=day) for p in rng.sample(ORDINARY, rng.randint(6, 11))]
        title = paragraphs[0].split(",")[0][:90]
    # Stories run long: each paragraph grows by a sentence or two of ordinary reporting.
    paragraphs = [
        p + " " + " ".join(rng.sample(BACKGROUND + ORDINARY, rng.randint(1, 4))).format(day=day) for p in paragraphs
    ]
    return title, paragraphs


def slug(title: str, index: int) -> str:
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()[:6]
    return "-".join(words) + f"-{index}"


def render_article(n_articles: int, n_sources: int, source: int, index: int, base: str) -> str:
    title, paragraphs = story(n_articles, source, index)
    count = article_count(n_articles, n_sources, source)
    moment = published_at(source, index, count)
    url = f"{base}/news/{slug(title, index)}"
    name = f"Outlet {source:02d} News"
    template = TEMPLATES[source % len(TEMPLATES)]
    nav = "".join(f'<li><a href="/section/{s.lower().replace(" ", "-")}">{s}</a></li>' for s in NAV_SECTIONS)
    rng = random.Random(f"related/{source}/{index}")
    titles = {j: story(n_articles, source, j)[0] for j in rng.sample(range(count), min(20, count))}
    related = "".join(f'<li><a href="/news/{slug(title, j)}">{escape(title)}</a></li>' for j, title in titles.items())
    # Page furniture real CMSs ship: a config blob, tracking, menus.
    config_blob = json.dumps(
        {
            "site": name,
            "ads": [f"slot-{k}" for k in range(60)],
            "experiments": {f"exp{k}": rng.random() for k in range(1200)},
        }
    )
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    title_e = escape(title)
    if template == "jsonld":
        ld = json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": title,
                "datePublished": moment.isoformat(),
                "author": {"@type": "Person", "name": "Staff Reporter"},
            }
        )
        head = f'<script type="application/ld+json">{ld}</script>'
        main = f'<article><h1>{title_e}</h1><p class="byline">By Staff Reporter</p>{body}</article>'
    elif template == "opengraph":
        head = (
            f'<meta property="og:type" content="article"><meta property="og:title" content="{title_e}">'
            f'<meta property="article:published_time" content="{moment.isoformat()}">'
        )
        main = f'<div class="story"><h1 class="headline">{title_e}</h1><div class="story-body">{body}</div></div>'
    elif template == "legacy":
        head = f'<meta name="date" content="{moment:%Y-%m-%d}">'
        main = (
            f'<table width="100%"><tr><td class="left">{"<br>".join(NAV_SECTIONS)}</td>'
            f'<td class="content"><h2>{title_e}</h2><span class="date">{moment:%d %B %Y}</span>'
            f"{body}</td></tr></table>"
        )
    else:
        head = (
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{moment.isoformat()}">'
        )
        comments = "".join(f'<li class="comment"><b>reader{k}</b> Interesting piece, thanks.</li>' for k in range(25))
        main = (
            f"<main><article><h1>{title_e}</h1>{body}</article>"
            f'<section class="newsletter"><p>Sign up for our morning briefing.</p></section>'
            f'<section class="comments"><ul>{comments}</ul></section></main>'
        )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title_e} | {name}</title><link rel="canonical" href="{url}">{head}
<script>window.__CONFIG__ = {config_blob};</script></head>
<body><header><a href="/">{name}</a><nav><ul>{nav}</ul></nav></header>
{main}
<aside class="related"><h3>Most read</h3><ul>{related}</ul></aside>
<footer><ul>{nav}</ul><p>Copyright 2026 {name}. All rights reserved.</p></footer></body></html>"""


def article_paths(n_articles: int, n_sources: int, source: int) -> list[tuple[str, datetime]]:
    count = article_count(n_articles, n_sources, source)
    return [(f"/news/{slug(story(n_articles, source, i)[0], i)}", published_at(source, i, count)) for i in range(count)]


def discovery_docs(n_articles: int, n_sources: int, source: int, base: str) -> dict[str, tuple[bytes, str]]:
    paths = article_paths(n_articles, n_sources, source)
    kind = DISCOVERY[source % len(DISCOVERY)]
    docs: dict[str, tuple[bytes, str]] = {"/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain")}

    def urlset(entries) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{base}{p}</loc><lastmod>{m.isoformat()}</lastmod></url>" for p, m in entries)
            + "</urlset>"
        ).encode()

    if kind == "rss":
        items = "".join(
            f"<item><title>article {i}</title><link>{base}{p}</link>"
            f"<pubDate>{m:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
            for i, (p, m) in enumerate(paths)
        )
        docs["/rss.xml"] = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet {source}</title>'
            f"<link>{base}/</link>{items}</channel></rss>".encode(),
            "application/rss+xml",
        )
    elif kind == "sitemap":
        docs["/sitemap.xml"] = (urlset(paths), "application/xml")
    else:
        parts = [paths[k : k + 500] for k in range(0, len(paths), 500)] or [[]]
        for k, part in enumerate(parts):
            docs[f"/sitemap-{k}.xml"] = (urlset(part), "application/xml")
        docs["/sitemap.xml"] = (
            (
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>{base}/sitemap-{k}.xml</loc></sitemap>" for k in range(len(parts)))
                + "</sitemapindex>"
            ).encode(),
            "application/xml",
        )
    return docs


# ---------------------------------------------------------------------------- serving


def serve(n_articles: int, n_sources: int, ready, stop) -> None:
    """Server process: one ThreadingHTTPServer per outlet on 127.0.0.1; reports base URLs, waits for stop."""
    servers = []
    for source in range(n_sources):
        server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        docs = discovery_docs(n_articles, n_sources, source, base)
        by_path = {p: i for i, (p, _) in enumerate(article_paths(n_articles, n_sources, source))}
        server.RequestHandlerClass = _handler(n_articles, n_sources, source, base, docs, by_path)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, base))
    ready.send([base for _, base in servers])
    stop.wait()
    for server, _ in servers:
        server.shutdown()


def _handler(n_articles, n_sources, source, base, docs, by_path):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - stdlib name
            if self.path in docs:
                body, ctype = docs[self.path]
            elif self.path in by_path:
                body = render_article(n_articles, n_sources, source, by_path[self.path], base).encode()
                ctype = "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def sources_yaml(bases: list[str], n_articles: int) -> str:
    lines = [
        "crawler:",
        "  allow_private_addresses: true",
        "  timeout_seconds: 30",
        "  max_retries: 1",
        "  concurrency: 16",
        "  per_host_concurrency: 2",
        "defaults:",
        f"  max_articles: {n_articles}",
        "  max_age_days: 2",
        "  delay_seconds: 0",
        "sources:",
    ]
    countries = ("GB", "KE", "NG", "IN", "US", "FR", "ZA", "PK")
    for source, base in enumerate(bases):
        kind = DISCOVERY[source % len(DISCOVERY)]
        lines += [
            f"  - id: outlet{source:02d}",
            f"    name: Outlet {source:02d} News",
            f'    homepage: "{base}/"',
            f"    country: {countries[source % len(countries)]}",
            "    language: en",
        ]
        lines.append(f'    feeds: ["{base}/rss.xml"]' if kind == "rss" else f'    sitemaps: ["{base}/sitemap.xml"]')
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- measuring


class Sampler:
    """Memory of this process tree (worker pools, dbt) and this process's CPU, sampled from /proc.

    Memory is the largest single RSS and the peak of the summed PSS (proportional set size: pages a
    forked worker shares with its parent count once, not once per process; read every 5 s, it is
    costly). CPU is sampled as a series, less this thread's own, so that each step's share can be
    read off at its start and end.
    """

    PSS_EVERY = 10  # smaps_rollup costs ~10 ms of kernel time per GB mapped, and holds the mm lock

    def __init__(self, interval: float = 0.5, exclude: set[int] | None = None):
        self.interval, self.exclude = interval, exclude or set()
        self.own_cpu = 0.0  # this thread's CPU, taken off the figures
        self.peak_pss = self.peak_single = 0
        self.cpu: list[tuple[float, float]] = []  # (unix time, CPU seconds so far)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.cpu.append((time.time(), cpu_seconds() - self.own_cpu))

    def cpu_between(self, start: float, end: float) -> float:
        # the first sample at or after each moment: a child's CPU counts once it is reaped, which
        # happens before its step ends, so each step gets what it spent
        def at(moment: float) -> float:
            return next((cpu for stamp, cpu in self.cpu if stamp >= moment), self.cpu[-1][1])

        return at(end) - at(start)

    def _run(self) -> None:
        root = os.getpid()
        for tick in itertools.count():
            self.own_cpu = time.thread_time()
            self.cpu.append((time.time(), cpu_seconds() - self.own_cpu))
            tree, frontier = [], [root]
            while frontier:  # descendants through /proc/<pid>/task/<tid>/children
                pid = frontier.pop()
                tree.append(pid)
                for children in Path(f"/proc/{pid}/task").glob("*/children"):
                    try:
                        frontier.extend(int(c) for c in children.read_text().split() if int(c) not in self.exclude)
                    except OSError:
                        continue
            pss = 0
            for pid in tree:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    if tick % self.PSS_EVERY == 0:
                        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                        pss += sum(
                            int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")
                        )
                except OSError:
                    continue
                rss = next(
                    (int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0
                )
                self.peak_single = max(self.peak_single, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.own_cpu = time.thread_time()
            if self._stop.wait(self.interval):
                return


def step_times(instance, run_id: str) -> dict[str, tuple[float, float]]:
    """(start, end) unix time per Dagster step, from its start and success/failure events."""
    started, times = {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in started:
            times[event.step_key] = (started[event.step_key], entry.timestamp)
    return times


LANDED = (
    "crawl_log",
    "pages",
    "articles",
    "parse_rejects",
    "event_mentions",
    "actor_mentions",
    "marts.fct_incidents",
    "marts.fct_incident_reports",
)


def cpu_seconds() -> float:
    """CPU time of this process and its waited-for children (worker pools, dbt): load-independent."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_day(n_articles: int, n_sources: int, workdir: Path, profile: Path | None = None) -> dict:
    context = multiprocessing.get_context("fork")  # before any thread: the server needs no imports
    ready_recv, ready_send = context.Pipe(duplex=False)
    stop = context.Event()
    server = context.Process(target=serve, args=(n_articles, n_sources, ready_send, stop), daemon=True)
    server.start()
    bases = ready_recv.recv()
    try:
        sources = workdir / "sources.yml"
        sources.write_text(sources_yaml(bases, n_articles), encoding="utf-8")
        db = workdir / "day.duckdb"
        os.environ["NEWSEVENTS_DB"] = str(db)
        os.environ["NEWSEVENTS_SOURCES"] = str(sources)
        os.environ["NEWSEVENTS_PUBLISH_DIR"] = str(workdir / "published")
        os.environ.pop("DAGSTER_HOME", None)  # an ephemeral instance: nothing left behind
        with Sampler(exclude={server.pid}) as sampler:
            started, started_cpu = time.perf_counter(), cpu_seconds()
            from dagster import DagsterInstance

            from orchestration.definitions import build_defs

            job = build_defs().resolve_job_def("daily_job")
            loaded = time.perf_counter()
            instance = DagsterInstance.ephemeral()
            # dbt's log goes to stdout through dagster-dbt: keep stdout for the figures
            profiler = cProfile.Profile() if profile else None
            with contextlib.redirect_stdout(sys.stderr):
                if profiler:
                    profiler.enable()
                result = job.execute_in_process(partition_key=DAY.isoformat(), instance=instance, raise_on_error=False)
                if profiler:
                    profiler.disable()
                    profiler.dump_stats(profile)
            total, cpu = time.perf_counter() - started, cpu_seconds() - started_cpu - sampler.own_cpu
    finally:
        stop.set()
        server.join(timeout=10)
    import duckdb

    conn = duckdb.connect(str(db), read_only=True)
    try:
        landed = {}
        for table in LANDED:
            try:
                landed[table] = conn.execute(f"select count(*) from {table}").fetchone()[0]
            except duckdb.Error:
                landed[table] = None
    finally:
        conn.close()
    return {
        "articles": n_articles,
        "sources": n_sources,
        "success": result.success,
        "total_s": total,
        "cpu_s": cpu,
        "load_s": loaded - started,
        "landed": landed,
        "steps": {
            step: {"seconds": end - start, "cpu_s": sampler.cpu_between(start, end)}
            for step, (start, end) in step_times(instance, result.run_id).items()
        },
        "peak_rss_single_mb": sampler.peak_single / 2**20,
        "peak_pss_tree_mb": sampler.peak_pss / 2**20,
        "self_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "failures": [
            (e.step_key, e.event_specific_data.error.message.strip()[:300])
            for e in result.all_events
            if e.is_step_failure
        ],
    }


def print_report(r: dict) -> None:
    print(
        f"\nsynthetic day: {r['articles']} articles from {r['sources']} outlets on 127.0.0.1 "
        f"(job {'succeeded' if r['success'] else 'FAILED'})"
    )
    print(f"  {'step':<24} {'wall s':>8} {'CPU s':>8}")
    print(f"  {'load definitions':<24} {r['load_s']:>8.1f}")
    for step, figures in r["steps"].items():
        print(f"  {step:<24} {figures['seconds']:>8.1f} {figures['cpu_s']:>8.1f}")
    print(f"  {'total':<24} {r['total_s']:>8.1f} {r['cpu_s']:>8.1f}   {r['articles'] / r['total_s']:.1f} articles/s")
    print("  (CPU: this process and its finished children, i.e. worker pools and dbt; on a shared machine the")
    print("   CPU column is the steadier figure)")
    print(
        f"  peak memory: largest process RSS {r['peak_rss_single_mb']:.0f} MB, process tree PSS "
        f"{r['peak_pss_tree_mb']:.0f} MB (this process max RSS {r['self_maxrss_mb']:.0f} MB)"
    )
    print("  rows landed: " + ", ".join(f"{t} {n}" for t, n in r["landed"].items()))
    for step, message in r["failures"]:
        print(f"  step failed: {step}: {message}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--workers", type=int, help="parse/extract processes (sets NEWSEVENTS_WORKERS)")
    parser.add_argument("--keep", type=Path, help="keep the warehouse and config in this directory")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    parser.add_argument(
        "--profile",
        type=Path,
        help="write a cProfile of this process (the stages run in it "
        "with --workers 1) to this file; read it with python -m pstats",
    )
    args = parser.parse_args(argv)
    if args.workers is not None:
        os.environ["NEWSEVENTS_WORKERS"] = str(args.workers)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run_day(args.articles, args.sources, args.keep.resolve(), args.profile)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-day-") as tmp:
            result = run_day(args.articles, args.sources, Path(tmp), args.profile)
    print_report(result)
    if args.json:
        print(json.dumps(result, default=str))
    return 0 if result["success"] else 1


if __name__ == "__main__":
    sys.exit(main())
