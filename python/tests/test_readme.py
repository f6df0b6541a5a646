# SPDX-License-Identifier: MIT
"""The README's Python examples run as they are; pip installs the module from python/."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import CLI_ENV, PYDIR, UNDER_ASAN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def readme_examples():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## From Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_readme_has_the_examples():
    blocks = readme_examples()
    assert len(blocks) == 3
    joined = "".join(blocks)
    for name in ("reprint.scan(", "reprint.align(", "reprint.dedup(", "reprint.Index(",
                 ".to_pandas()", ".query("):
        assert name in joined


@pytest.mark.parametrize("block", range(3))
def test_readme_example_runs(block):
    code = readme_examples()[block]
    env = dict(os.environ, PYTHONPATH=PYDIR)
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip()


def test_dedup_example_keeps_one_copy_of_each():
    """What the second example prints, checked against the CLI."""
    env = dict(os.environ, PYTHONPATH=PYDIR)
    code = ("import reprint\naudit = []\n"
            "print(' '.join(r['id'] for r in reprint.dedup('examples/', keep='first', "
            "removed=audit)))\nprint(len(audit))")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert p.returncode == 0, p.stderr
    kept, nremoved = p.stdout.split("\n")[:2]
    cli = subprocess.run([os.path.join(ROOT, "reprint"), "dedup", "-q", "--keep", "first",
                          "-o", "-", "examples/"], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, check=True, env=CLI_ENV)
    import json
    want = [json.loads(line)["id"] for line in cli.stdout.splitlines()]
    assert kept.split() == want
    assert int(nremoved) == len(os.listdir(os.path.join(ROOT, "examples"))) - len(want)


@pytest.mark.skipif(shutil.which("make") is None or UNDER_ASAN,
                    reason="needs make; builds an uninstrumented module (not in the sanitizer run)")
def test_pip_installs_into_a_venv_without_an_index(tmp_path):
    venv = tmp_path / "venv"
    # Nothing of the repository on the path: what is imported must be what pip installed.
    env = {k: v for k, v in CLI_ENV.items() if k != "PYTHONPATH"}
    r = subprocess.run([sys.executable, "-m", "venv", str(venv)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env=env)
    assert r.returncode == 0, "python3 -m venv failed (Debian python3-venv): " + r.stderr
    pip = str(venv / "bin" / "pip")
    # A copy of the tree, so that the install builds nothing inside the repository.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", "build-*", "*.so", "__pycache__", "*.egg-info", "python/build"))
    r = subprocess.run([pip, "install", "--no-index", "--no-build-isolation", str(src / "python")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600, cwd=str(tmp_path), env=env)
    assert r.returncode == 0, r.stdout[-3000:]
    code = ("import reprint, os; print(os.path.dirname(reprint.__file__)); "
            "print(reprint.scan([('a', 'one two three four five six'), "
            "('b', 'one two three four five six')]).pairs[0].relation)")
    r = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=str(tmp_path),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert r.returncode == 0, r.stderr
    where, relation = r.stdout.split()
    assert where.startswith(str(venv))
    assert relation == "duplicate"
