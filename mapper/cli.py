"""The ``incident-mapper`` command: a thin layer that parses options and calls the library.

Exit codes: 0 success; 2 usage errors and unreadable input (one line naming the file and
the problem, no traceback); 1 anything else. Each subcommand lives in ``mapper/commands/``.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from typing import Any

import click

from gazetteer.errors import GazetteerError
from mapper.commands import (
    evaluate,
    evaluate_incidents,
    export,
    gazetteer_cmd,
    geocode,
    geoparse,
    run,
)
from mapper.errors import InputError, MapperError

log = logging.getLogger("mapper")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs (temporary files removed)."""

    signum = signal.SIGTERM


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def _interrupted(exc: KeyboardInterrupt) -> int:
    """Say what an interrupted run did; the exit code is 128 + the signal number."""
    from mapper.atomic import completed_writes

    signum = getattr(exc, "signum", signal.SIGINT)
    written = completed_writes()
    done = (f"{len(written)} output file(s) were completely written ({', '.join(map(str, written))})"
            if written else "no output was written")
    click.echo(f"incident-mapper: interrupted by {signal.Signals(signum).name}: {done}; "
               "no file is half-written and other outputs are unchanged", err=True)
    return 128 + signum


class _Group(click.Group):
    """A click group that turns library errors into one-line messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except InputError as exc:
            click.echo(f"incident-mapper: error: {exc}", err=True)
            sys.exit(2)
        except (MapperError, GazetteerError) as exc:
            click.echo(f"incident-mapper: error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt as exc:
            sys.exit(_interrupted(exc))
        except BrokenPipeError:  # e.g. `incident-mapper geoparse ... | head`: the reader left
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"incident-mapper: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
        except Exception as exc:
            if log.isEnabledFor(logging.DEBUG):
                raise
            click.echo(f"incident-mapper: internal error: {type(exc).__name__}: {exc} "
                       "(run with -v for the traceback)", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.version_option(package_name="incident-mapper")
def cli(verbose: int) -> None:
    """Map armed incidents reported in news articles: places, actors, incidents."""
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


for _command in (run.command, geoparse.command, geocode.command, gazetteer_cmd.command,
                 evaluate.command, evaluate_incidents.command, export.command):
    cli.add_command(_command)


def main() -> None:
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
    cli(prog_name="incident-mapper")
