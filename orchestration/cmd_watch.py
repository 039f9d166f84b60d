"""Watch subcommands: `newsevents watch test` lists which existing incidents each watch would
match, without sending anything."""

from __future__ import annotations

import argparse
import logging

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    """Add this module's subcommands to the `newsevents` parser."""
    watch = subparsers.add_parser("watch", help="watch alerts: check a watchlist against the warehouse")
    commands = watch.add_subparsers(dest="watch_command", metavar="SUBCOMMAND", required=True)
    test = commands.add_parser("test", help="validate a watchlist and list the incidents each watch would match "
                                            "(sends nothing)")
    test.add_argument("--watchlist", required=True, help="watchlist YAML file")
    test.add_argument("--db", help="warehouse DuckDB file (default $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    test.set_defaults(func=_test)


def _describe(incident) -> str:
    toll = "toll not reported" if incident.fatalities_best is None else f"{incident.fatalities_best} killed"
    place = ", ".join(part for part in (incident.location, incident.country or incident.country_iso2) if part)
    actors = "; ".join(dict.fromkeys(actor.name for actor in incident.actors)) or "no actor named"
    return (f"{incident.incident_id}  {incident.event_date}  {incident.sub_event_type}, {place or 'unknown place'}, "
            f"{toll}, {incident.n_sources} source(s), {actors}")


def _test(args: argparse.Namespace) -> int:
    import duckdb

    from transforms import alerts, warehouse
    from transforms.watch import WatchlistConfigError, dictionary_actor, load_watchlist, matches

    try:
        watchlist = load_watchlist(args.watchlist)
    except WatchlistConfigError as error:
        log.error("%s", error)
        return 1
    db = warehouse.db_path(args.db)
    try:
        conn = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as error:
        log.error("cannot open warehouse %s read-only: %s", db, error)
        return 1
    try:
        incidents = alerts.load_incidents(conn)
    except alerts.AlertsError as error:
        log.error("%s: %s", db, error)
        return 1
    finally:
        conn.close()

    print(f"watchlist: {watchlist.path} ({len(watchlist.watches)} watches); warehouse: {db} "
          f"({len(incidents)} incidents)")
    for watch in watchlist.watches:
        matched = [incident for incident in incidents if matches(watch, incident)]
        state = "" if watch.enabled else ", disabled"
        print(f"\nwatch '{watch.name}' ({' + '.join(watch.channels)}{state}): {len(matched)} incident(s)")
        for name in watch.actors:
            canonical = dictionary_actor(name)
            print(f"  actor {name!r}: " + (f"-> {canonical} (actor dictionary)" if canonical
                                           else "not in the actor dictionary, matched by name as written"))
        for incident in matched:
            print(f"  {_describe(incident)}")
    return 0
