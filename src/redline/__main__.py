"""``python -m redline``: the command line."""

from redline.cli import app

app(prog_name="redline")
