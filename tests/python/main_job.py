"""Runs the main job (`python -m orchestration run`, what `make run` calls) the way a user
does, in a process of its own with the settings in its environment, and reads the warehouse
back.

Each run is a child forked from a Python process that imported the orchestration code once
per pytest worker (`_Forker`): a run's process then starts with Dagster, dagster-dbt and
Great Expectations already imported, not after 9 s of CPU spent importing them. The child
gets the test's environment, its own session (process group), stdin from /dev/null and
stdout and stderr of its own, then runs `orchestration.cli.main` and exits as
`python -m orchestration` does. The code reads its settings when it runs, not when it is
imported (orchestration/settings.py), so each run sees its test's environment.
test_publish starts one `python -m orchestration run` itself (its second writer): the entry
point is run too."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
TEST_SALT = "salt-of-the-tests"
TIMEOUT_SECONDS = 900
# whether the running test is marked slow (set by conftest.py before its fixtures)
marked_slow = True


def require_slow_marker(what: str) -> None:
    """Stops a test not marked `slow` that starts `what`: `make test-fast` must stay fast."""
    if not marked_slow:
        raise AssertionError(f"a test that {what} must be marked slow: add @pytest.mark.slow, or "
                             "`pytestmark = pytest.mark.slow` to its module")


def run_environment(raw_data_dir: Path | None, warehouse: Path, as_of: str,
                    **extra_env: str) -> dict[str, str]:
    """The environment of a main-job run: this process's, with the run's settings."""
    # a landing folder of real data needs the salt of the GDPR hashes (RunSettings)
    # RUN_ALWAYS: a test that runs twice on the same inputs means a second run; the skip of a
    # run with nothing new is tested on its own (test_end_to_end, RUN_ALWAYS="")
    env = {**os.environ, "AS_OF_DATE": as_of, "WAREHOUSE_PATH": str(warehouse),
           "GDPR_HASH_SALT": TEST_SALT, "RUN_ALWAYS": "true", **extra_env}
    env.pop("RAW_DATA_DIR", None)
    if raw_data_dir is not None:
        env["RAW_DATA_DIR"] = str(raw_data_dir)
    return env


def start_main_job(raw_data_dir: Path | None, warehouse: Path, as_of: str, *,
                   command: str = "run", **extra_env: str) -> StartedRun:
    """`python -m orchestration <command>` (the main job, or `refit-score`), started: its
    `finish()` waits for it. One run at a time per pytest worker."""
    require_slow_marker("runs the main job")
    return _forker().start([command], run_environment(raw_data_dir, warehouse, as_of, **extra_env))


def run_main_job(raw_data_dir: Path | None, warehouse: Path, as_of: str, *,
                 command: str = "run", **extra_env: str) -> subprocess.CompletedProcess[str]:
    """`python -m orchestration <command>`, to its end."""
    return start_main_job(raw_data_dir, warehouse, as_of, command=command,
                          **extra_env).finish(TIMEOUT_SECONDS)


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def rows_by_key(warehouse: Path, sql: str) -> dict[str, tuple]:
    """The rows of `sql`, keyed by their first column."""
    return {row[0]: tuple(row[1:]) for row in query(warehouse, sql)}


# --- the forking runner ------------------------------------------------------------------


class StartedRun:
    """A run of the forking runner: its child's pid (and process group), and what it printed
    so far."""

    def __init__(self, forker: _Forker, pid: int, argv: list[str], out: Path, err: Path) -> None:
        self.forker, self.pid, self.out, self.err = forker, pid, out, err
        self.command = ["python", "-m", "orchestration", *argv]  # what the run stands for
        self.returncode: int | None = None

    def stdout_so_far(self) -> str:
        return _read(self.out)

    def poll(self) -> int | None:
        """The exit code once the run ended, else None (does not wait)."""
        if self.returncode is None and self.forker.answered(timeout=0):
            self.returncode = self.forker.answer(timeout=0)["returncode"]
            self.forker.pending = None
        return self.returncode

    def finish(self, timeout: float) -> subprocess.CompletedProcess[str]:
        """Waits for the run's end; a timeout or Ctrl-C kills it (it does not outlive them)."""
        try:
            if self.returncode is None:
                self.returncode = self.forker.answer(timeout)["returncode"]
        except BaseException as error:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            try:
                self.forker.answer(timeout=60)
            except Exception:  # noqa: BLE001 (out of step with its answers: a new runner next)
                self.forker.close()
            if isinstance(error, TimeoutError):
                raise subprocess.TimeoutExpired(
                    self.command, timeout, output=_read(self.out), stderr=_read(self.err),
                ) from None
            raise
        finally:
            self.forker.pending = None
        result = subprocess.CompletedProcess(self.command, self.returncode, _read(self.out),
                                             _read(self.err))
        self.out.unlink(missing_ok=True)
        self.err.unlink(missing_ok=True)
        return result


class _Forker:
    """A `python` process that imports what `python -m orchestration` imports, then forks
    one child per request (a JSON line on its stdin) and answers with the child's pid, then
    its exit code (one JSON line each). It waits for one child before it reads the next
    request: one run at a time."""

    SERVE = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
             "import main_job; main_job._serve()")

    def __init__(self, serve: str = SERVE) -> None:
        """`serve`: the runner's Python code (another in test_main_job_runner)."""
        self.folder = Path(tempfile.mkdtemp(prefix="main-job-runs-"))
        self.log = self.folder / "forker.log"
        with self.log.open("w") as log:
            # unbuffered bytes: an answer read ahead into a Python buffer would be invisible
            # to select() (a run that ends at once sends its pid and exit code together)
            self.process = subprocess.Popen(
                [sys.executable, "-c", serve],
                cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, bufsize=0,
            )
        self.received = b""  # what the runner sent that is not yet read as an answer
        self.runs = 0
        self.pending: StartedRun | None = None

    def start(self, argv: list[str], env: dict[str, str]) -> StartedRun:
        assert self.process.stdin is not None
        assert self.pending is None, "the forking runner runs one run at a time: finish() it"
        self.runs += 1
        out, err = self.folder / f"run-{self.runs}.out", self.folder / f"run-{self.runs}.err"
        self.process.stdin.write((json.dumps(
            {"argv": argv, "env": env, "stdout": str(out), "stderr": str(err)}) + "\n").encode())
        pid = self.answer(timeout=120)["pid"]
        self.pending = StartedRun(self, pid, argv, out, err)
        return self.pending

    def answered(self, timeout: float) -> bool:
        """Whether a whole answer line is here, waiting up to `timeout` seconds for one."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self.received:
            wait = max(deadline - time.monotonic(), 0)
            if not select.select([self.process.stdout], [], [], wait)[0]:
                return False
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError(f"the forking runner stopped: {_read(self.log)[-3000:]}")
            self.received += chunk
        return True

    def answer(self, timeout: float) -> dict:
        if not self.answered(timeout):
            raise TimeoutError
        line, self.received = self.received.split(b"\n", 1)
        return json.loads(line)

    def close(self) -> None:
        if self.pending is not None:  # a run started and never finished does not outlive us
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pending.pid, signal.SIGKILL)
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_FORKER: _Forker | None = None


def _forker() -> _Forker:
    global _FORKER
    if _FORKER is None or _FORKER.process.poll() is not None:
        _FORKER = _Forker()
        atexit.register(_FORKER.close)
    return _FORKER


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _serve() -> None:
    """The forking runner's loop (in its own process, started by _Forker)."""
    before = dict(os.environ)
    import orchestration.cli
    import orchestration.definitions  # what every run imports (cli imports it in the run)
    from expectations.quiet_exit import exit_skipping_finalisation

    # what those imports set in the environment (the venv on PATH, GX analytics off) holds in
    # every run, as it would in a process that imported them itself
    set_by_imports = {key: value for key, value in os.environ.items() if before.get(key) != value}
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os.setsid()
            os.environ.clear()
            os.environ.update({**request["env"], **set_by_imports})
            for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                                    (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                    (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
                os.dup2(os.open(path, flags, 0o600), fd)
            sys.argv = ["orchestration", *request["argv"]]
            exit_skipping_finalisation(orchestration.cli.main)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}), flush=True)
