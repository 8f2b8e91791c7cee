"""``scale.alongside``: a task run in a forked process beside a block of work, whose errors
reach the caller and which never outlives the block."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from mapper.errors import InputError, MapperError
from mapper.scale import alongside


def test_the_task_runs_in_another_process_while_the_block_runs(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def task() -> None:
        started.write_text(str(os.getpid()))

    with alongside(task, what="writing a note"):
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:  # the block waits for the task
            time.sleep(0.01)
    assert int(started.read_text()) != os.getpid()


def test_not_enabled_runs_the_task_here_first(tmp_path: Path) -> None:
    calls: list[int] = []
    with alongside(lambda: calls.append(os.getpid()), enabled=False):
        assert calls == [os.getpid()]


def test_the_tasks_error_is_raised_after_the_block_with_its_class() -> None:
    def task() -> None:
        raise InputError("bad tiles 'nope'; allowed: OpenStreetMap")

    done = []
    with pytest.raises(InputError, match="bad tiles 'nope'"), alongside(task, what="drawing map.html"):
        done.append(True)
    assert done == [True]  # the block ran to its end


def test_a_task_process_that_dies_is_an_error_naming_the_task() -> None:
    def task() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(MapperError, match=r"drawing map.html failed: .*exit code -9"), \
            alongside(task, what="drawing map.html"):
        pass


def test_an_error_in_the_block_stops_the_task(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"

    def task() -> None:
        pid_file.write_text(str(os.getpid()))
        time.sleep(600)

    with pytest.raises(KeyError), alongside(task):
        deadline = time.monotonic() + 30
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyError("the block failed")
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):  # ended and reaped
        os.kill(pid, 0)
