"""Fixtures of the Python API tests: where the repository, the CLI and the
test inputs are, and a helper that runs the CLI (the reference every
expectation is derived from)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "reprint"
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples"
# The CLI's environment: without the sanitizer runtimes that the sanitizer
# run preloads into Python (make asan), which the CLI is not built for.
CLI_ENV = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
# Where the reprint package under test is (python/, or build-asan/python).
PYDIR = str(Path(__import__("reprint").__file__).resolve().parents[1])
UNDER_ASAN = "libasan" in os.environ.get("LD_PRELOAD", "")


@pytest.fixture(scope="session")
def root():
    """The repository root (/work/main)."""
    return ROOT


@pytest.fixture(scope="session")
def cli_path():
    """The CLI binary; the tests need it built (make)."""
    if not os.access(CLI, os.X_OK):
        pytest.skip("the CLI is not built: run make in %s" % ROOT)
    return CLI


@pytest.fixture(scope="session")
def seeds():
    """The seed corpus, ROOT/../shared/seeds (read in place, never copied)."""
    if not SEEDS.is_dir():
        pytest.skip("no seed corpus at %s" % SEEDS)
    return SEEDS


@pytest.fixture(scope="session")
def seed_files(seeds):
    """The seed articles (the .txt files), in name order."""
    files = sorted(seeds.glob("*.txt"))
    assert len(files) == 5
    return files


@pytest.fixture(scope="session")
def seed_docs(seed_files):
    """The seed articles as {"id": file name, "text": contents} dicts."""
    return [{"id": f.name, "text": f.read_text(encoding="utf-8")} for f in seed_files]


@pytest.fixture(scope="session")
def examples():
    """The repository's examples/ folder."""
    return EXAMPLES


class CliResult:
    def __init__(self, proc):
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.returncode = proc.returncode

    def jsonl(self):
        return [json.loads(line) for line in self.stdout.splitlines() if line]


@pytest.fixture(scope="session")
def run_cli(cli_path):
    """run_cli(*args, cwd=None, check=True, full=False): run the CLI (quiet)
    and return its stdout as str, or with full=True an object with stdout,
    stderr and returncode. With check, a non-zero exit fails the test."""

    def run(*args, cwd=None, check=True, full=False, input=None):
        args = [str(a) for a in args]
        proc = subprocess.run([str(cli_path)] + args, cwd=None if cwd is None else str(cwd),
                              env=CLI_ENV,
                              input=input, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape", timeout=120)
        if check and proc.returncode != 0:
            raise AssertionError("reprint %s exited %d:\n%s" % (" ".join(args),
                                                                 proc.returncode, proc.stderr))
        return CliResult(proc) if full else proc.stdout

    return run


@pytest.fixture
def chdir(monkeypatch):
    """chdir(path): change the working directory for one test (restored after)."""
    return monkeypatch.chdir

