"""`python bench/timed_streamlit.py run app.py …` is `streamlit run app.py …`, timing each run.

The wall time of every script run in the server (`ScriptRunner._run_script`: the script, its
widget bookkeeping and queuing its messages) is appended, in milliseconds, to the file named
by $SCRIPT_TIMES. Used by bench/bench_latency.py for the server-side half of a slider move.
"""

import os
import sys
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

_run_script = script_runner.ScriptRunner._run_script


def _timed_run_script(self, rerun_data):
    start = time.perf_counter()
    try:
        return _run_script(self, rerun_data)
    finally:
        elapsed_ms = (time.perf_counter() - start) * 1000
        with open(os.environ["SCRIPT_TIMES"], "a") as times:
            times.write(f"{elapsed_ms:.3f}\n")


script_runner.ScriptRunner._run_script = _timed_run_script

if __name__ == "__main__":
    sys.exit(cli.main())
