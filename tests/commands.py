"""The commands as the tests run them: in this process through click's runner (`invoke`),
or as real processes of the installed entry points (`process`) for the few tests that are
about the program itself (its entry point, a real terminal or pipe, signals, a server).

In-process runs are ten times faster than a new Python process each. They share this
process's module caches (the jieba cutter with its words, data files read once), so a test
that changes the data files goes through the library or a real process instead.
"""
import contextlib
import os
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from builders import ROOT
from search.cli import index_cli, search_cmd
from web.cli import serve

COMMANDS = {"search": search_cmd, "search-index": index_cli, "search-web": serve}


def installed(name):
    """The path of an installed command of this package."""
    here = os.path.dirname(sys.executable)
    found = shutil.which(name, path=here + os.pathsep + os.environ.get("PATH", ""))
    if not found:
        pytest.fail(f"the {name} command is not installed (pip install -e .)")
    return found


def clean_env(**extra):
    """This process's environment without NEWS_* variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWS_")}
    env.update(extra)
    return env


@contextlib.contextmanager
def working_directory(folder):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def invoke(name, *args, cwd=ROOT, env=None):
    """`name ARGS…` (search, search-index or search-web) run in this process from `cwd`, with only the
    NEWS_* variables of `env`: (returncode, stdout, stderr) like a finished process.
    Anything but an exit is a failure (a real process would print its traceback)."""
    environment = {k: None for k in os.environ if k.startswith("NEWS_")}
    environment.update(env or {})
    with working_directory(cwd):
        result = CliRunner(env=environment).invoke(COMMANDS[name], [str(a) for a in args], prog_name=name)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def process(name, *args, cwd=ROOT, env=None, prefix=(), timeout=300):
    """`name ARGS…` as a real process of the installed command (after `prefix`, e.g. setpriv),
    with only the NEWS_* variables of `env`."""
    return subprocess.run([*prefix, installed(name), *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout, cwd=cwd, env=clean_env(**(env or {})))
