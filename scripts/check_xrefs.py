#!/usr/bin/env python3
"""Check every reference, link and anchor of the reading library (see --help).

A thin entry point: the checker lives in readinglib.cli, beside the model and
parser the site build uses. Also installed as the `check-xrefs` command.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from readinglib.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
