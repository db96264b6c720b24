"""How every command talks to the user: one `error: …` line and an exit code for any
SearchError or usage error (0 with hits, 1 with none or something skipped, 2 on error,
130 when interrupted), a progress bar on a terminal, lines written as they come.
Everything printed from data goes through search.formatting.printable first.
"""
import contextlib
import os
import sys

import click

from ..errors import SearchError
from ..formatting import printable

CONTEXT = {"help_option_names": ["-h", "--help"]}
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def fail(message, code=EXIT_ERROR):
    click.echo(f"error: {printable(message)}", err=True)
    sys.exit(code)


class OneLineErrors:
    """A click command or group whose usage errors (`--limit x`, a missing argument, an
    unknown command) are one `error: …` line and exit code 2, like the library's errors,
    instead of click's usage block."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            fail("interrupted", EXIT_INTERRUPTED)
        except click.ClickException as e:
            command = e.ctx.command_path if getattr(e, "ctx", None) else prog_name
            fail(f"{e.format_message()} (see `{command} --help`)" if command else e.format_message())
        sys.exit(code if isinstance(code, int) else 0)


class Group(OneLineErrors, click.Group):
    pass


def no_color():
    """Honour NO_COLOR (https://no-color.org): no colour even on a terminal."""
    if os.environ.get("NO_COLOR"):
        click.get_current_context().color = False


@contextlib.contextmanager
def reported(interrupted="interrupted"):
    """Where the library's errors meet the user: a SearchError is one line on stderr and
    exit code 2; Ctrl-C is `interrupted` and exit code 130."""
    try:
        yield
    except SearchError as e:
        fail(str(e))
    except KeyboardInterrupt:
        fail(interrupted, EXIT_INTERRUPTED)


class Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label):
        self.label = label
        self.bar = None

    def __call__(self, n, total=None):
        if total is not None:
            if total and sys.stderr.isatty():
                self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
                self.bar.__enter__()
            return
        if self.bar:
            self.bar.update(n)

    def close(self):
        if self.bar:
            self.bar.__exit__(None, None, None)
            self.bar = None


@contextlib.contextmanager
def closed_pipe_ends_quietly():
    """Output to a pipe its reader closed (`| head`) ends quietly: the rest goes to
    /dev/null and the exit code stays what the search found, where click would exit 1."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def write_lines(lines):
    """Write text lines to stdout as UTF-8 as they come (a closed pipe ends it quietly)."""
    out = getattr(sys.stdout, "buffer", None)
    with closed_pipe_ends_quietly():
        for line in lines:
            if out is not None:
                out.write(line.encode("utf-8"))
            else:
                sys.stdout.write(line)


def report_update(report, err=False):
    for problem in report.skipped:
        click.echo(f"skipped {printable(problem)}", err=True)
    click.echo(printable(report.summary()), err=err)
