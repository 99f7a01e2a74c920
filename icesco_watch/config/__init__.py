"""Configuration: the schema, the loader and the built-in defaults."""

from icesco_watch.config.loader import ConfigError, LoadedConfig, load_config
from icesco_watch.config.schema import Settings, SourceConfig

__all__ = ["ConfigError", "LoadedConfig", "Settings", "SourceConfig", "load_config"]
