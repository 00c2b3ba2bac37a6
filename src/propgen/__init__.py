"""propgen: an event coordinator's portfolio site and private proposals, from YAML and Markdown."""

__version__ = "0.1.0"
