"""A loopback SMTP sink in its own process: accepts everything, appends one line per message to a file.

Run: python tests/newsletter/sink.py PORT OUTFILE   (line: delivery id or '-', then the recipient)
"""

import asyncio
import os
import re
import signal
import sys

from aiosmtpd.controller import Controller

HEADER = re.compile(rb"^X-Pledgewatch-Delivery: *(\d+)", re.MULTILINE | re.IGNORECASE)


class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        found = HEADER.search(envelope.content[:4000])
        ident = found.group(1).decode() if found else "-"
        self.out.write(f"{ident} {envelope.rcpt_tos[0]}\n")
        self.out.flush()
        return "250 2.0.0 Ok"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "a", encoding="utf-8") as out:
        controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
        controller.start()
        # every line is flushed as it is written: stop at once on SIGTERM/SIGINT
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        signal.signal(signal.SIGINT, lambda *_: os._exit(0))
        print("ready", flush=True)
        try:
            asyncio.run(asyncio.Event().wait())
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()


if __name__ == "__main__":
    main()
