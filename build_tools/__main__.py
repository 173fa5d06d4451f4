"""Run the command line: ``python -m build_tools``."""

import sys

from build_tools.cli import main

raise SystemExit(main(sys.argv[1:]))
