"""``python -m crosswire.cli``: the ``crosswire`` command."""

from crosswire.cli import main

main()
