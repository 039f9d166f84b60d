-- Crawl health: one row per source and crawl day, from every fetch attempt (stg_crawl_log).
with

crawl_log as (
    select * from {{ ref('stg_crawl_log') }}
),

-- The most frequent error of the day, to say at a glance what went wrong.
top_errors as (
    select
        source_id,
        partition_date,
        outcome as top_failure
    from crawl_log
    where outcome in ('http_error', 'timeout', 'network_error', 'too_large', 'blocked_address')
    group by source_id, partition_date, outcome
    qualify row_number() over (partition by source_id, partition_date order by count(*) desc, outcome) = 1
),

days as (
    select
        source_id,
        partition_date,
        count(*) as n_attempts,
        count(*) filter (where outcome in ('fetched', 'not_modified')) as n_fetched,
        count(*) filter (
            where outcome in ('http_error', 'timeout', 'network_error', 'too_large', 'blocked_address')
        ) as n_failed,
        count(distinct run_id) as n_runs,
        min(attempted_at) as first_attempted_at,
        max(attempted_at) as last_attempted_at,
        arg_max(run_id, attempted_at) as last_run_id
    from crawl_log
    group by all
)

select
    cast(days.source_id as varchar) as source_id,
    cast(days.partition_date as date) as partition_date,
    cast(days.n_attempts as integer) as n_attempts,
    cast(days.n_fetched as integer) as n_fetched,
    cast(days.n_failed as integer) as n_failed,
    cast(top_errors.top_failure as varchar) as top_failure,
    cast(days.n_runs as integer) as n_runs,
    cast(days.first_attempted_at as timestamp) as first_attempted_at,
    cast(days.last_attempted_at as timestamp) as last_attempted_at,
    cast(days.last_run_id as varchar) as last_run_id
from days
left join top_errors
    on days.source_id = top_errors.source_id
    and days.partition_date = top_errors.partition_date
