"""`python bench/timed_streamlit.py run app.py …` is `streamlit run app.py …`, timing each run.

The wall time of every script run in the server (`ScriptRunner._run_script`: the script, its
widget bookkeeping and queuing its messages) is appended, in milliseconds, to the file named
by $SCRIPT_TIMES. Used by bench/bench_latency.py for the server-side half of a slider move.

With $SCRIPT_RUNS set, each run also appends one JSON line there (bench/bench_lab.py):

- ``start``: time.time() as the run began; ``wall_ms``; ``cpu_ms``: the script thread's CPU
  (time.thread_time; a run's fragments execute on that thread unless declared parallel,
  which this app's are not);
- ``fragment``: whether only fragments ran; ``page``: the page asked for (its name on a
  first load, else the first 8 characters of its script hash);
- ``changed``: the query-string keys whose values differ both from this session's previous
  rerun request and from the server's query params as that run left them (it removes the
  parameter of a bound widget that went away, and tells the tab; or drops one silently). A
  browser writes a bound widget's value into the URL before it sends the rerun, so after a
  move this is the moved widget's key (on a first load: none, or the link's keys).

With $SCRIPT_PROFILE set, every script run is also profiled (cProfile, in the script thread)
and the process's accumulated statistics are written to that file after each run, for
`python -m pstats`; $SCRIPT_PROFILE_SKIP=n leaves the first n runs (the imports) out. A
diagnosis aid: profiling roughly doubles a run's CPU, so not for the benchmark's figures.
"""

import cProfile
import json
import os
import sys
import time
from urllib.parse import parse_qs

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

_run_script = script_runner.ScriptRunner._run_script
# session id → (the previous run's requested query, the server's query params after it)
_last_query: dict[str, tuple[dict, dict]] = {}


def _changed_keys(session_id: str, query: dict[str, list[str]]) -> list[str]:
    asked, left = _last_query.get(session_id, ({}, {}))
    keys = query.keys() | asked.keys() | left.keys()
    return sorted(key for key in keys if query.get(key) not in (asked.get(key), left.get(key)))


def _server_query(self) -> dict[str, list[str]]:
    """The session's query params as the server holds them now (private API, 1.67)."""
    safe_state = self._session_state
    with safe_state._lock:
        params = safe_state._state.query_params
        return {key: params.get_all(key) for key in params}


def _run_line(self, rerun_data, started: float, wall_ms: float, cpu_ms: float) -> str:
    page = rerun_data.page_name or rerun_data.page_script_hash[:8]
    query = parse_qs(rerun_data.query_string, keep_blank_values=True)
    changed = _changed_keys(self._session_id, query)
    _last_query[self._session_id] = (query, _server_query(self))
    return json.dumps(
        {
            "start": started,
            "wall_ms": round(wall_ms, 3),
            "cpu_ms": round(cpu_ms, 3),
            "fragment": bool(rerun_data.fragment_id_queue),
            "page": page,
            "changed": changed,
        }
    )


_profile = cProfile.Profile() if "SCRIPT_PROFILE" in os.environ else None
# The first runs import the app's modules (hundreds of ms once): leave them out of a profile
# of what a rerun costs with $SCRIPT_PROFILE_SKIP=3 (the warm-up loads, say).
_profile_skip = [int(os.environ.get("SCRIPT_PROFILE_SKIP", "0"))]


def _profiled_run_script(self, rerun_data):
    _profile.enable()
    try:
        return _run_script(self, rerun_data)
    finally:
        _profile.disable()
        _profile.dump_stats(os.environ["SCRIPT_PROFILE"])


# $SCRIPT_SAMPLE=file: a sampling profile (pyinstrument: `pip install pyinstrument`) of every
# run after the first $SCRIPT_PROFILE_SKIP, written as text after each run. It skews code of
# many small calls (hashing, JSON walks) less than cProfile does, but still somewhat: time a
# suspect alone before believing its share.
_sampler = None
if "SCRIPT_SAMPLE" in os.environ:
    from pyinstrument import Profiler

    _sampler = Profiler(interval=0.0005, async_mode="disabled")


def _sampled_run_script(self, rerun_data):
    _sampler.start()
    try:
        return _run_script(self, rerun_data)
    finally:
        _sampler.stop()
        with open(os.environ["SCRIPT_SAMPLE"], "w") as out:
            out.write(_sampler.output_text(unicode=True, show_all=False))


def _run(self, rerun_data):
    if _sampler is None and _profile is None:
        return _run_script(self, rerun_data)
    if _profile_skip[0] > 0:
        _profile_skip[0] -= 1
        return _run_script(self, rerun_data)
    if _sampler is not None:
        return _sampled_run_script(self, rerun_data)
    return _profiled_run_script(self, rerun_data)


def _timed_run_script(self, rerun_data):
    started, start, cpu_start = time.time(), time.perf_counter(), time.thread_time()
    try:
        return _run(self, rerun_data)
    finally:
        elapsed_ms = (time.perf_counter() - start) * 1000
        cpu_ms = (time.thread_time() - cpu_start) * 1000
        if "SCRIPT_TIMES" in os.environ:
            with open(os.environ["SCRIPT_TIMES"], "a") as times:
                times.write(f"{elapsed_ms:.3f}\n")
        if "SCRIPT_RUNS" in os.environ:
            line = _run_line(self, rerun_data, started, elapsed_ms, cpu_ms)
            with open(os.environ["SCRIPT_RUNS"], "a") as runs:
                runs.write(line + "\n")


script_runner.ScriptRunner._run_script = _timed_run_script

if __name__ == "__main__":
    sys.exit(cli.main())
