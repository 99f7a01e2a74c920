"""The bot's translations in one command: extract the msgids, update the .po files, compile.

    .venv/bin/python tools/i18n.py          # extract -> update ar/fr .po -> compile .mo
    .venv/bin/python tools/i18n.py --check  # only list what is missing; exit 1 if anything

After a run, translate the entries it lists as missing or fuzzy in
icesco_watch/locale/{ar,fr}/LC_MESSAGES/messages.po, run it again, and commit the .pot, .po and
.mo files together (tests/notifiers/telegram/test_i18n.py fails until they agree).
"""

from __future__ import annotations

import argparse
import sys

from icesco_watch.notifiers.telegram.catalogs import (
    TRANSLATED,
    extract,
    load_po,
    problems,
    update_catalogs,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    template = extract()
    if not args.check:
        update_catalogs(template)
    found = [problem for lang in TRANSLATED for problem in problems(template, load_po(lang))]
    for problem in found:
        print(problem)
    count = sum(1 for m in template if m.id)
    print(f"{count} messages; {len(found)} problem(s) in {', '.join(TRANSLATED)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
