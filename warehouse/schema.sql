-- Raw and staging tables written by the Python side (transforms/warehouse.py applies this file).
-- Every statement is idempotent: the file is applied at every connection that writes.
-- dbt reads these tables as sources (dbt_project/models/staging/_sources.yml).
-- Times are UTC (TIMESTAMP without zone, by convention UTC).

-- The configured news sources (sources.yml) as of the latest crawl, for dim_sources.
create table if not exists sources (
    source_id       varchar   primary key,
    name            varchar   not null,
    homepage        varchar   not null,
    country_iso2    varchar,             -- where the newsroom is
    language        varchar   not null,
    feeds           varchar[] not null,
    sitemaps        varchar[] not null,
    enabled         boolean   not null,
    updated_at      timestamp not null
);

-- One row per fetch attempt, whatever happened.
create table if not exists crawl_log (
    run_id          varchar   not null,  -- one crawl run (Dagster run id or CLI run id)
    partition_date  date      not null,  -- the crawl day this attempt belongs to
    source_id       varchar   not null,
    url             varchar   not null,  -- the URL as requested (already normalised)
    final_url       varchar,             -- after redirects
    canonical_url   varchar,             -- rel=canonical when the page gave one, else final_url
    page_kind       varchar   not null,  -- robots | feed | sitemap | homepage | article
    attempted_at    timestamp not null,
    attempt         integer   not null,  -- 1 for the first try, 2.. for retries
    http_status     integer,             -- null when no response (timeout, refused)
    bytes           bigint,
    elapsed_ms      integer,
    outcome         varchar   not null,  -- fetched | not_modified | duplicate_url | duplicate_content
                                         -- | robots_disallowed | blocked_address | too_large
                                         -- | http_error | timeout | network_error | out_of_window
    error           varchar,
    content_hash    varchar,             -- sha256 of the body when there was one
    etag            varchar,
    last_modified   varchar
);

-- Archived raw documents: one row per distinct content of a canonical URL.
create table if not exists pages (
    page_id         varchar   primary key,  -- sha256(canonical_url || content_hash)[:32]
    source_id       varchar   not null,
    page_kind       varchar   not null,     -- article | feed | sitemap | homepage
    url             varchar   not null,
    final_url       varchar   not null,
    canonical_url   varchar   not null,
    content_hash    varchar   not null,
    http_status     integer   not null,
    content_type    varchar,
    encoding        varchar,                -- declared or detected charset of the body
    etag            varchar,
    last_modified   varchar,
    fetched_at      timestamp not null,
    partition_date  date      not null,
    run_id          varchar   not null,
    bytes           bigint    not null,
    html_gz         blob      not null      -- gzip of the raw body bytes as received
);

-- Parsed articles: one row per canonical URL (the newest parse of its newest page).
create table if not exists articles (
    article_id          varchar   primary key,  -- sha256(canonical_url)[:16]
    page_id             varchar   not null,
    source_id           varchar   not null,
    url                 varchar   not null,
    canonical_url       varchar   not null,
    title               varchar,
    authors             varchar[],
    published_at        timestamp,              -- UTC
    published_at_source varchar,                -- jsonld | meta | newspaper | htmldate | url | feed | null
    language            varchar,                -- ISO 639-1
    text                varchar   not null,
    text_extractor      varchar   not null,     -- which extractor produced the body
    top_image           varchar,
    n_chars             integer   not null,
    fetched_at          timestamp not null,
    partition_date      date      not null,
    parser_version      varchar   not null,
    parsed_at           timestamp not null
);

-- Pages that did not become articles, with the reason (not an article, empty text, undecodable...).
create table if not exists parse_rejects (
    page_id         varchar   not null,
    source_id       varchar   not null,
    url             varchar   not null,
    partition_date  date      not null,
    reason          varchar   not null,
    detail          varchar,
    parser_version  varchar   not null,
    parsed_at       timestamp not null,
    primary key (page_id, parser_version)
);

-- One row per incident found in an article by one extractor version.
create table if not exists event_mentions (
    event_mention_id    varchar   primary key,  -- sha256(article_id|extractor_version|event_index)[:20]
    article_id          varchar   not null,
    source_id           varchar   not null,
    partition_date      date      not null,
    extractor_version   varchar   not null,
    event_index         integer   not null,     -- 0.. within the article
    event_type          varchar   not null,
    sub_event_type      varchar   not null,
    event_date          date,
    date_precision      varchar   not null,     -- day | week | month | unknown
    date_is_fallback    boolean   not null,     -- true when the publication date stood in
    location            varchar,
    admin1              varchar,
    country             varchar,
    country_iso2        varchar,
    latitude            double,
    longitude           double,
    geo_precision       integer,                -- 1 town, 2 near a town / part of region, 3 region or country
    fatalities          integer,                -- null = not reported
    injured             integer,
    weapon              varchar,
    civilian_targeting  boolean   not null,
    confidence          double    not null,
    evidence_text       varchar   not null,     -- the sentence(s) the event came from
    evidence_offsets    varchar   not null,     -- JSON [[start, end], ...] character offsets in articles.text
    extracted_at        timestamp not null,
    admin2              varchar                 -- district (second level), when known; last: added later
);

-- Warehouses created before admin2 existed get the column, in the same (last) place.
alter table event_mentions add column if not exists admin2 varchar;

-- Actors of each event mention.
create table if not exists actor_mentions (
    actor_mention_id    varchar   primary key,  -- sha256(event_mention_id|role|actor_name|index)[:20]
    event_mention_id    varchar   not null,
    article_id          varchar   not null,
    extractor_version   varchar   not null,
    role                varchar   not null,     -- perpetrator | target | associated
    surface_text        varchar   not null,
    actor_name          varchar   not null,     -- normalised (dictionary canonical name or generic label)
    actor_type          varchar   not null,     -- taxonomy actor type
    country_iso2        varchar
);

-- Which articles have been through which extractor version (also those that yielded no event),
-- so a re-run extracts only what is missing and a version bump re-extracts everything.
create table if not exists extraction_log (
    article_id          varchar   not null,
    extractor_version   varchar   not null,
    partition_date      date      not null,
    n_events            integer   not null,
    extracted_at        timestamp not null,
    primary key (article_id, extractor_version)
);

-- Watch alerts (transforms/alerts.py): one row per alert per delivery channel. The key makes
-- each alert unique (nothing is sent twice); failed rows are retried with back-off, never dropped.
create table if not exists alerts_sent (
    alert_id        varchar   primary key,  -- sha256(watch|incident|kind|previous revision|revision|channel)[:20]
    watch           varchar   not null,     -- the watch's name in the watchlist
    incident_id     varchar   not null,     -- marts.fct_incidents.incident_id
    kind            varchar   not null,     -- new | update
    channel         varchar   not null,     -- webhook | jsonl
    revision        varchar   not null,     -- what the alert said: 'fatalities=9;sources=2'
    fatalities      integer,                -- the toll the alert gave (null = not reported)
    n_sources       integer   not null,     -- how many sources it named
    created_at      timestamp not null,     -- the evaluation that decided to send it
    status          varchar   not null,     -- pending | sent | failed
    attempts        integer   not null,     -- deliveries tried (each with its own quick retries)
    last_attempt_at timestamp,
    sent_at         timestamp,
    next_retry_at   timestamp,              -- failed: not tried again before this
    last_error      varchar,                -- host and failure only: never the URL path or the secret
    payload         varchar   not null      -- the JSON body, the same on every retry
);

-- The version of every incident the last watch evaluation saw: the next evaluation looks only at
-- incidents that are new or changed since.
create table if not exists watch_evaluated_incidents (
    incident_id     varchar   primary key,
    version         varchar   not null,     -- md5 over what an alert shows (transforms/alerts.py)
    evaluated_at    timestamp not null
);
