"""Build the C core of the DEX reader; everything else is declared in pyproject.toml.

setuptools reads ``ext_modules`` from here alongside pyproject.toml, so
``pip install -e .`` compiles ``mobsec.ingest.dex._dexcore`` with the system compiler
(gcc + Python headers on Debian).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "mobsec.ingest.dex._dexcore",
            sources=["src/mobsec/ingest/dex/_dexcore.c", "src/mobsec/ingest/dex/_graph.c"],
            depends=["src/mobsec/ingest/dex/_opcodes.h", "src/mobsec/ingest/dex/_graph.h"],
            extra_compile_args=["-O2", "-std=c99", "-Wall", "-Wextra"],
        )
    ],
)
