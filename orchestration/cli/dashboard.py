"""`newsevents dashboard`: serve the bundled dashboard over the published BI copy on 127.0.0.1."""

from __future__ import annotations

import argparse
import sys

from transforms.settings import Settings


def register(subparsers) -> None:
    dashboard = subparsers.add_parser(
        "dashboard", help="the incident dashboard (map, timeline, filters, incidents, actors, health) on 127.0.0.1"
    )
    dashboard.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    dashboard.add_argument(
        "--bi",
        help="BI directory (default: $NEWSEVENTS_PUBLISH_DIR, else the newest of "
        "warehouse/published and warehouse/demo_published)",
    )
    dashboard.set_defaults(func=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    from orchestration.dashboard.server import DashboardServer, find_bi_copy

    chosen = args.bi or (settings.publish_dir if settings.publish_dir_chosen else None)
    bi_path = find_bi_copy(chosen)
    try:
        server = DashboardServer(bi_path, args.port, find_again=None if chosen else find_bi_copy)
    except OSError as error:
        print(
            f"newsevents dashboard: cannot listen on 127.0.0.1:{args.port} ({error.strerror}); pass --port N",
            file=sys.stderr,
        )
        return 2
    note = "" if bi_path.exists() else "  (not published yet: run `make demo`; the page picks it up)"
    print(f"dashboard on {server.url}  reading {bi_path} read-only{note}; Ctrl-C stops it", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
