-- Calendar days covering every incident date and report, for weekly/monthly roll-ups in BI.
with

incidents as (
    select * from {{ ref('fct_incidents') }}
),

bounds as (
    select
        min(event_date) as first_day,
        greatest(max(event_date), max(cast(last_reported_at as date))) as last_day
    from incidents
),

days as (
    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as date_day
    from bounds
    where first_day is not null
)

select
    cast(date_day as date) as date_day,
    cast(year(date_day) as integer) as year,
    cast(quarter(date_day) as integer) as quarter,
    cast(month(date_day) as integer) as month,
    cast(strftime(date_day, '%B') as varchar) as month_name,
    cast(isoyear(date_day) as integer) as iso_year,
    cast(weekofyear(date_day) as integer) as iso_week,
    cast(date_trunc('week', date_day) as date) as week_start,
    cast(isodow(date_day) as integer) as iso_day_of_week,
    cast(strftime(date_day, '%A') as varchar) as day_name,
    cast(isodow(date_day) >= 6 as boolean) as is_weekend
from days
