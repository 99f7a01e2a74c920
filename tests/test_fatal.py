"""What an operator reads when a command fails: one line, the key to fix, no secret.

The whole path (a real process, a real busy port or read-only folder) is in tests/faults; here
the exceptions the boundary meets are described one by one, including those a test cannot
provoke without the network (a host name that does not resolve).
"""

from __future__ import annotations

import errno
import socket
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from icesco_watch.config.schema import Settings
from icesco_watch.fatal import describe
from icesco_watch.redaction import protect_token

SETTINGS = Settings.model_validate(
    {
        "storage": {"url": "sqlite:////srv/watch/store/watch.db"},
        "feeds": {"dir": "/srv/watch/feeds"},
        "server": {"host": "feeds.example.org", "port": 8080},
    }
)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            OSError(errno.EADDRINUSE, "address already in use"),
            "server.port: feeds.example.org:8080 is already in use",
        ),
        (
            socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
            "server.host: cannot listen on 'feeds.example.org': Name or service not known",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "/srv/watch/feeds/en/all.rss"),
            "feeds.dir: cannot use /srv/watch/feeds/en/all.rss: Permission denied",
        ),
        (
            OSError(errno.EROFS, "Read-only file system", "/srv/watch/store/watch.db-wal"),
            "storage.url: cannot use /srv/watch/store/watch.db-wal: Read-only file system",
        ),
        (
            OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O error")),
            "storage.url (sqlite:////srv/watch/store/watch.db): OperationalError: disk I/O error",
        ),
        (
            RecursionError("maximum recursion depth exceeded"),
            "RecursionError: maximum recursion depth exceeded; an input is too deeply nested",
        ),
    ],
    ids=["port-in-use", "host-unknown", "feeds-denied", "store-read-only", "store-io", "deep"],
)
def test_known_faults_name_their_key(exc: BaseException, expected: str) -> None:
    line = describe(exc, SETTINGS)
    assert line.startswith(expected), line
    assert "\n" not in line


def test_anything_else_is_one_scrubbed_line_pointing_at_verbose() -> None:
    protect_token("555666:FATAL-UNIT-SECRET")
    line = describe(KeyError("bot555666:FATAL-UNIT-SECRET\nsecond line"), None)
    assert line == "KeyError: 'bot<token>\\nsecond line' (run with --verbose for the details)"
