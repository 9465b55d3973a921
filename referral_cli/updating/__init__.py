"""Updating a directory from the terminal: what a maintainer says of a provider tonight
(beds, status, who verified it) written into its YAML file in place."""
