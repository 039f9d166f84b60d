"""Watch alerts as a Dagster asset after the marts: evaluates the watchlist on incidents that are
new or changed since the last evaluation and sends what is due (transforms.alerts).

The watchlist file is the settings' ($NEWSEVENTS_WATCHLIST, else watchlist.yml at the repository
root when it exists); without one the asset only records which incidents it has seen. Webhooks to loopback or
private addresses need the crawler's opt-in (`crawler.allow_private_addresses` in sources.yml).
"""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    ConfigurableResource,
    MaterializeResult,
    PartitionsDefinition,
    asset,
)

from orchestration.partitions import one_day_per_run
from orchestration.resources import WRITER_POOL, WarehouseResource
from transforms import alerts
from transforms.settings import WATCHLIST_ENV, Settings
from transforms.watch import Watchlist, load_watchlist

# What an alert reads (marts/<model>, as dagster-dbt names them).
ALERT_INPUTS = tuple(
    AssetKey(["marts", name])
    for name in ("fct_incidents", "fct_incident_reports", "bridge_incident_actors", "dim_actors")
)


class WatchlistResource(ConfigurableResource):
    """The watchlist file; an empty path means no watchlist."""

    path: str = ""

    def load(self) -> Watchlist | None:
        # A bad file fails the asset before anything is marked seen, so no incident is skipped.
        return load_watchlist(self.path) if self.path else None


def watch_resources(settings: Settings) -> dict:
    return {"watchlist": WatchlistResource(path=str(settings.watchlist_path or ""))}


def build_watch_alerts(partitions: PartitionsDefinition) -> AssetsDefinition:
    """The watch_alerts asset, partitioned by `partitions`."""

    @asset(
        key="watch_alerts",
        deps=list(ALERT_INPUTS),
        partitions_def=partitions,
        backfill_policy=one_day_per_run,
        group_name="alerts",
        pool=WRITER_POOL,  # writes alerts_sent in the warehouse
        kinds={"python", "duckdb"},
        description="Evaluate the watchlist on new or changed incidents; send one alert per incident per watch "
        "(an update when the toll or the number of sources changes); record it in alerts_sent.",
        check_specs=[
            AssetCheckSpec(
                "alerts_delivered", asset="watch_alerts", description="No alert is waiting on a failed delivery."
            )
        ],
    )
    def watch_alerts(
        context: AssetExecutionContext, warehouse: WarehouseResource, watchlist: WatchlistResource
    ) -> MaterializeResult:
        loaded = watchlist.load()
        if loaded is None:
            context.log.info("no watchlist (set %s): recording seen incidents only", WATCHLIST_ENV)
        allow_private = warehouse.load_sources().crawler.allow_private_addresses
        with warehouse.connect() as conn:
            result = alerts.evaluate(conn, loaded, allow_private=allow_private)
            undelivered = conn.execute("select count(*) from alerts_sent where status = 'failed'").fetchone()[0]
        metadata = {**result.as_metadata(), "watches": len(loaded.enabled_watches()) if loaded else 0}
        return MaterializeResult(
            metadata=metadata,
            check_results=[
                AssetCheckResult(
                    check_name="alerts_delivered",
                    passed=undelivered == 0,
                    severity=AssetCheckSeverity.WARN,
                    metadata={"failed_alerts": undelivered},
                )
            ],
        )

    return watch_alerts
