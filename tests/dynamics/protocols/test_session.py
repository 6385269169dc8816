"""A strategy cannot abort or hang a simulation or a tournament (issue 12, item 13).

Strategies that call ``sys.exit``, raise ``KeyboardInterrupt`` themselves, sleep, or loop
forever end their own run as a failure recorded in the row; the tournament goes on. A real
Ctrl-C of the user (SIGINT to the process) still stops it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from negotiation.dynamics.protocols import simulate
from negotiation.dynamics.strategies import Strategy
from negotiation.dynamics.tournament import tournament

TP = "textbook_two_party"


class Exiter(Strategy):
    name = "exiter"

    def respond(self, state):
        sys.exit(3)


class Interrupter(Strategy):
    name = "interrupter"

    def respond(self, state):
        raise KeyboardInterrupt


class Sleeper(Strategy):
    name = "sleeper"

    def respond(self, state):
        time.sleep(3600)


class Looper(Strategy):
    name = "looper"

    def respond(self, state):
        while True:
            pass


class SlowBuilder(Strategy):
    name = "slow_builder"

    def __init__(self, view):
        raise SystemExit("no")


class Dawdler(Strategy):
    """Answers, but slowly: fine per move, too slow for the run."""

    name = "dawdler"

    def respond(self, state):
        time.sleep(0.15)
        return self.offer_near(self.view.u_max, state)


@pytest.mark.parametrize(
    ("strategy", "reason"),
    [
        (Exiter, "raised SystemExit: 3"),
        (Interrupter, "raised KeyboardInterrupt"),
        (Sleeper, "took longer than the limit of 0.3 s a move"),
        (Looper, "took longer than the limit of 0.3 s a move"),
        (SlowBuilder, "could not be built: SystemExit: no"),
    ],
)
def test_a_rogue_strategy_ends_only_its_own_run(strategy, reason):
    r = simulate(TP, agents=("linear", strategy), seed=0, move_timeout=0.3)
    assert r.end == "failure" and r.failed == "Employer"
    assert reason in r.reason


def test_the_run_time_limit():
    r = simulate(TP, agents=(Dawdler, "hardliner"), seed=0, move_timeout=5, run_timeout=0.5)
    assert r.end == "failure"
    assert "the run exceeded its time limit of 0.5 s" in r.reason


def test_a_tournament_survives_every_rogue_and_records_it():
    rogues = [Exiter, Interrupter, Sleeper, Looper, SlowBuilder]
    df = tournament(
        TP, ["linear", *rogues], pairings="combinations", progress=False, move_timeout=0.3
    )
    assert len(df) == 21  # 6 strategies, unordered pairs with repetition
    clean = df[df["agents"] == "linear | linear"].iloc[0]
    assert clean["end"] == "agreement" and clean["failed"] == ""
    rogue_rows = df[df["agents"] != "linear | linear"]
    assert (rogue_rows["end"] == "failure").all()
    assert rogue_rows["reason"].str.contains("failed").all()
    assert (rogue_rows["failed"] != "").all()


def test_same_results_with_the_worker_thread():
    """Running strategies in the session's worker thread changes nothing: same seed, same run."""
    a = simulate(TP, agents=("boulware", "tit_for_tat"), seed=4)
    b = simulate(TP, agents=("boulware", "tit_for_tat"), seed=4)
    assert [e.levels for e in a.trace] == [e.levels for e in b.trace]


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
def test_a_real_ctrl_c_still_stops_the_tournament(tmp_path):
    script = tmp_path / "t.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            from negotiation.dynamics.strategies import Strategy
            from negotiation.dynamics.tournament import tournament

            class Sleeper(Strategy):
                name = "sleeper"
                def respond(self, state):
                    time.sleep(3600)

            print("started", flush=True)
            try:
                tournament("textbook_two_party", ["linear", Sleeper], progress=False,
                           move_timeout=600)
            except KeyboardInterrupt:
                print("interrupted by the user", flush=True)
                sys.exit(130)
            print("finished", flush=True)
            """
        ),
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "started"
        time.sleep(3.0)  # inside the sleeping strategy's move by now (its limit: 600 s)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted by the user" in out
