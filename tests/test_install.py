"""Install as the README says, in a fresh ``python3 -m venv`` with its own pip, and extract an HTML page.

The pip a fresh Python 3.11 venv brings (23.2) does not resolve ``lxml[html_clean]``;
``make`` upgrades pip first, so only a test like this one sees what a user sees.
Slow (a few minutes: it installs spaCy and friends from the machine's package
index), and it runs by default and in CI: ``-m "not slow"`` leaves it out.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

PAGE = """<!doctype html>
<html lang="en"><head><title>Harbour expansion approved | Example Gazette</title>
<meta property="og:title" content="Harbour expansion approved">
<meta name="author" content="Ines Duarte">
<meta property="article:published_time" content="2024-03-01T09:30:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour expansion approved</h1>
<p class="byline">By Ines Duarte</p>
<p>The city council on Friday approved a long-debated expansion of the harbour, clearing the way for
construction to begin next spring after years of objections from residents and fishermen.</p>
<p>The plan adds two deep-water berths and a new breakwater, and the council said the work would be paid
for by port fees rather than by local taxes, a point that had divided members for months.</p>
<p>Residents who opposed the project said they would keep pressing for limits on night-time noise.</p>
</article><footer>Share this article</footer></body></html>
"""


def readme_install_commands() -> list[list[str]]:
    """The ``pip install`` lines of the README's "Installing" code block, as written there."""
    section = (ROOT / "README.md").read_text().split("## Installing", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line.startswith("pip install"):
            commands.append(shlex.split(line))
    return commands


def test_readme_has_the_install_commands() -> None:
    assert [c[:3] for c in readme_install_commands()] == [
        ["pip", "install", "--no-deps"],
        ["pip", "install", "-c"],
    ]


def test_fresh_venv_installs_as_the_readme_says_and_extracts_html(tmp_path: Path) -> None:
    source = tmp_path / "newsetl"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", "build", "*.egg-info", "*.db*", ".*cache"
        ),
    )
    venv = tmp_path / "venv"
    python3 = shutil.which("python3") or sys.executable
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([python3, "-m", "venv", str(venv)], check=True, env=environ)
    bin_dir = venv / "bin"
    for command in readme_install_commands():
        done = subprocess.run(
            [str(bin_dir / "python"), "-m", *command, "-q"],
            cwd=source,
            env=environ,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"{shlex.join(command)} failed:\n{done.stdout}\n{done.stderr}"

    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    extracted = subprocess.run(
        [str(bin_dir / "newsetl"), "extract", "--json", "--no-nlp", str(page)],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert extracted.returncode == 0, extracted.stderr
    assert "rejected" not in extracted.stderr
    [article] = [json.loads(line) for line in extracted.stdout.splitlines()]
    assert article["headline"] == "Harbour expansion approved"
    assert "two deep-water berths" in article["body"] and "Share this article" not in article["body"]
