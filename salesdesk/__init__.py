"""SalesDesk: promise only what the team can deliver, and put it in writing."""

__version__ = "0.1.0"
APP_NAME = "SalesDesk"
