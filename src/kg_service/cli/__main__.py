"""`python -m kg_service.cli` runs the `kg-service` command."""

from kg_service.cli.main import main

raise SystemExit(main())
