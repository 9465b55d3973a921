"""One module per subcommand; each adds its command to :data:`referral_cli.app.app`."""
