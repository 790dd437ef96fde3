"""The implementation of the `keel` command (runner/keel)."""
