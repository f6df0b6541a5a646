# SPDX-License-Identifier: MIT
"""Build and install the reprint module: `pip install ./python` from the repository root
(with Debian's setuptools: `pip install --no-build-isolation ./python`, no package index).

The extension is linked against the same static library as the CLI (build/libreprint.a,
made here with `make lib` when missing), through include/reprint.h only.
"""
import os
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIBA = os.path.join(ROOT, "build", "libreprint.a")


def version():
    with open(os.path.join(ROOT, "include", "reprint.h"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#define RP_VERSION_STRING"):
                return line.split('"')[1]
    raise SystemExit("setup.py: no RP_VERSION_STRING in include/reprint.h")


class BuildWithLibrary(build_ext):
    """Build the C library first (make lib), then the extension."""

    def run(self):
        subprocess.check_call(["make", "-C", ROOT, "--no-print-directory", LIBA])
        super().run()


setup(
    name="reprint",
    version=version(),
    description="Find reused text in document collections (Python API of libreprint)",
    license="MIT",
    packages=["reprint"],
    package_dir={"reprint": os.path.relpath(os.path.join(HERE, "reprint"))},
    package_data={"reprint": ["__init__.pyi", "py.typed"]},
    ext_modules=[Extension(
        "reprint._reprint",
        sources=[os.path.relpath(os.path.join(HERE, "reprint", "_reprint.c"))],
        include_dirs=[os.path.join(ROOT, "include")],
        extra_objects=[LIBA],
        libraries=["sqlite3", "xxhash", "utf8proc", "z", "zstd", "m"],
        extra_compile_args=["-std=c11", "-fvisibility=hidden", "-pthread"],
        extra_link_args=["-pthread", "-Wl,--exclude-libs,ALL"],
    )],
    cmdclass={"build_ext": BuildWithLibrary},
    python_requires=">=3.9",
)
