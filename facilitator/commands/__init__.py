"""Click commands, one module per feature; cli.py assembles them. Thin: parse,
call the core, print."""
