"""``python -m mapper`` is the same as the ``incident-mapper`` command."""

from mapper.cli import main

main()
