{#
Incremental merging (int_mention_pairs_scored, int_event_mentions_clustered): what a daily build
recomputes, chosen so that N daily builds give exactly what one full refresh gives.

A report changes when it is new, gone, or any column merging reads differs (mention_hash of
int_event_mentions_current). Its event_date is a "changed date". Two facts bound what it can reach:
- no pair spans more than merge_max_date_days days (beyond that date_score is 0), and
- blocks sort by event_date first, so the sorted-neighbourhood window between two reports only
  holds reports dated between them.
So a pair can only change when a changed date lies between (or at) its two dates, and then every
report its window depends on is dated within merge_max_date_days of that changed date.
dbt_project/README.md ("Incremental builds") gives the argument for the clustering.
#}

{# The vars pairing and linking read beyond the report rows, as one text (hashed into mention_hash). #}
{% macro merge_settings_text() -%}
    {%- for name in ['merge_score_threshold', 'merge_max_date_tolerance_days', 'merge_block_window',
                     'merge_block_cell_degrees', 'merge_area_cell_degrees', 'merge_max_distance_km',
                     'merge_near_town_km', 'merge_region_km'] -%}
        {{ name }}={{ var(name) }}{{ ';' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{# Pairs never span more days than this: the largest date_tolerance_days in int_event_mentions_current. #}
{% macro merge_max_date_days() -%}
    {{ var('merge_max_date_tolerance_days') }}
{%- endmacro %}

{#
The changed dates: event dates of reports that differ between int_event_mentions_current now and
the reports `previous` holds (int_event_mentions_clustered keeps every report with its
mention_hash; the pairs keep a side table). Without a previous relation every date counts as changed.
#}
{% macro merge_changed_dates(previous) -%}
    {%- set current = ref('int_event_mentions_current') -%}
    {%- if previous is none -%}
    select distinct event_date from {{ current }}
    {%- else -%}
    select distinct event_date from (
        (select event_mention_id, mention_hash, event_date from {{ current }}
         except
         select event_mention_id, mention_hash, event_date from {{ previous }})
        union all
        (select event_mention_id, mention_hash, event_date from {{ previous }}
         except
         select event_mention_id, mention_hash, event_date from {{ current }})
    )
    {%- endif -%}
{%- endmacro %}

{# The dates within `reach` days of a changed date (a small table: changed dates x (2 reach + 1)). #}
{% macro merge_dates_near(changed_dates, reach) -%}
    select distinct changed.event_date + cast(offsets.days as integer) as event_date
    from ({{ changed_dates }}) as changed
    cross join range(-({{ reach }}), ({{ reach }}) + 1) as offsets(days)
{%- endmacro %}

{#
The reports int_mention_pairs_scored was last built from: a side table its post-hook writes in
the same transaction (ids, hashes, dates), so the pairs know their own state whatever else was
built since (a build of the clustering alone, a failed run). None on a full refresh or when missing.
#}
{% macro merge_pairs_reports_relation() -%}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '_reports'})) }}
{%- endmacro %}

{% macro merge_previous_pairs_reports() -%}
    {%- if flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set side = merge_pairs_reports_relation() -%}
    {{ return(adapter.get_relation(database=side.database, schema=side.schema, identifier=side.identifier)) }}
{%- endmacro %}

{#
The changed dates the pairs were recomputed for and the clustering has not re-linked yet (a side
table: the pairs' post-hook adds to it, the clustering's post-hook empties it), so a build of the
clustering alone, or one that failed after the pairs, is caught up by the next.
#}
{% macro merge_pending_relation() -%}
    {{ return(this.incorporate(path={'identifier': 'int_mention_pairs_scored_pending'})) }}
{%- endmacro %}

{% macro merge_pending_dates() -%}
    {%- set pending = merge_pending_relation() -%}
    {{ return(adapter.get_relation(database=pending.database, schema=pending.schema, identifier=pending.identifier)) }}
{%- endmacro %}

{# Post-hook of int_mention_pairs_scored: hand the changed dates on, remember the reports. #}
{% macro remember_pairs_reports() -%}
    {%- if not flags.EMPTY -%}
    create table if not exists {{ merge_pending_relation() }} (event_date date);
    insert into {{ merge_pending_relation() }}
    {{ merge_changed_dates(merge_previous_pairs_reports()) }};
    create or replace table {{ merge_pairs_reports_relation() }} as
    select event_mention_id, mention_hash, event_date from {{ ref('int_event_mentions_current') }}
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#
Pre-hook of int_mention_pairs_scored on an incremental build: drop the stored pairs that a changed
date lies between; the build inserts them again, recomputed (or not, if they no longer pair).
#}
{% macro delete_pairs_near_changes() -%}
    {#- not under --empty: every ref would read as empty, every stored report as gone -#}
    {%- if is_incremental() and not flags.EMPTY -%}
    delete from {{ this }} as stored
    where exists (
        select 1
        from ({{ merge_changed_dates(merge_previous_pairs_reports()) }}) as changed
        where changed.event_date between least(stored.later_event_date, stored.candidate_event_date)
            and greatest(stored.later_event_date, stored.candidate_event_date)
    )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#
Post-hook of int_event_mentions_clustered: reports no longer current (re-extracted articles) go,
and the pairs' pending dates are done.
#}
{% macro delete_gone_reports() -%}
    {%- if flags.EMPTY -%}
    select 1
    {%- else -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where event_mention_id not in (select event_mention_id from {{ ref('int_event_mentions_current') }});
    {%- endif %}
    {%- if merge_pending_dates() is not none %}
    delete from {{ merge_pending_relation() }};
    {%- endif %}
    select 1
    {%- endif -%}
{%- endmacro %}
