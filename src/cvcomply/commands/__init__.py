"""CLI command groups that other modules mount on the main Typer app (``register(app)``)."""
