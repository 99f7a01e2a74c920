"""icesco-watch: monitors ICESCO's news and tells people when something appears in their sector."""

__version__ = "0.1.0"
