"""A real SMTP server on loopback (aiosmtpd), scripted per recipient: accept, defer, reject, throttle, drop."""

import socket
import threading
from collections import defaultdict
from email import message_from_bytes

from aiosmtpd.controller import Controller

REPLIES = {
    "accept": None,
    "451": "451 4.3.0 Temporary local problem, try again later",
    "452": "452 4.2.2 Mailbox full, try again later",
    "550": "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown",
    "554-block": "554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org",
    "421": "421 4.7.0 Too many messages, slow down",
    "drop": "drop",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScriptedHandler:
    """Reply to RCPT TO per recipient from a script: a list of behaviours used one per attempt."""

    def __init__(self):
        self.script: dict[str, list[str]] = {}
        self.default = "accept"
        self.messages: list[dict] = []
        self.attempts: dict[str, int] = defaultdict(int)
        self.connections = 0
        self.lock = threading.Lock()

    def next_behaviour(self, rcpt: str) -> str:
        with self.lock:
            self.attempts[rcpt] += 1
            steps = self.script.get(rcpt)
            if steps:
                return steps.pop(0)
            return self.default

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        behaviour = self.next_behaviour(address)
        reply = REPLIES[behaviour]
        if reply == "drop":
            server.transport.close()
            return "421 closing"
        if reply is not None:
            return reply.format(rcpt=address)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                  "raw": envelope.content, "msg": msg})
            n = len(self.messages)
        return f"250 2.0.0 Ok: queued as Q{n:05d}"

    def received_by(self, address: str) -> list[dict]:
        return [m for m in self.messages if address in m["to"]]


class ScriptedServer:
    def __init__(self):
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"
