"""CLI: `python -m advisor.cli ...`, as the `advisor` command."""

import sys

from advisor.cli import main

sys.exit(main())
