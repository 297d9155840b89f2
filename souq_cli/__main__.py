"""`python -m souq_cli ...` is the `souq` script."""

import sys

from souq_cli.main import main

sys.exit(main())
