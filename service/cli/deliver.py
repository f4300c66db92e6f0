"""``skillpath deliver``: the webhook sender beside the app."""

from __future__ import annotations

import click

from service.cli.base import cli, with_app


@cli.command("deliver")
@click.option("--once", is_flag=True, help="Send what is due now, then exit (tests, cron).")
@click.option(
    "--poll",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.05),
    help="Seconds between looks at the outbox when nothing is due.",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(min=1, max=65535),
    help="Serve this sender's Prometheus metrics on this port (when apart from the app).",
)
@with_app
def deliver(once: bool, poll: float, metrics_port: int | None) -> None:
    """Send webhook deliveries from the outbox, with retries, until stopped."""
    import signal

    from flask import current_app

    from service.db import db
    from service.deliverer import Deliverer

    deliverer = Deliverer(sessions=db.sessionmaker(write=True), settings=current_app.config)
    if metrics_port is not None:
        from prometheus_client import start_http_server

        from service.metrics import registry

        start_http_server(metrics_port, registry=registry)
    if not once:
        # SIGTERM (docker stop, the end of `make run`) finishes the send under way, then exits.
        signal.signal(signal.SIGTERM, lambda *_: deliverer.stopping.set())
        click.echo(f"delivering webhooks as {deliverer.owner}", err=True)
    try:
        attempts = deliverer.run(once=once, poll=poll)
    except KeyboardInterrupt:
        return
    if once:
        click.echo(f"{attempts} delivery attempt(s)")
