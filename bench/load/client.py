"""A light load client: asyncio, raw HTTP/1.1 keep-alive connections, one coroutine per simulated user.

It shares the cores with the server under test, so it parses only what it must (status line, headers,
Content-Length or chunked framing) and keeps bodies only as byte counts. `Mix` draws the requests:
overview pages (ja/en/ru), lists with random filters and pages, detail pages, the JSON API, the Atom feed
and CSV exports of a filtered list; `run_clients` drives N users for a fixed time, and every so often one
of them downloads the full CSV export.
"""

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

COUNTRIES = ("UZ", "KZ", "KG", "TJ", "TM")
LANGUAGES = ("ja", "en", "ru")
WORDS = ("Project 12", "案件", "Project 7", "bridge", "案件 4")
REQUEST_TIMEOUT = 120.0  # seconds; a request slower than this counts as an error


@dataclass
class Ledger:
    """What the generated ledger holds, for building valid addresses."""

    commitment_ids: tuple[int, int]  # smallest and largest id
    document_ids: list[int]
    organisations: list[str]
    pillars: list[str]
    instruments: list[str]
    stages: list[str]
    years: tuple[int, int] = (2012, 2025)
    initiative: str = "ca-jad-tokyo-initiative"


@dataclass
class Sample:
    kind: str
    path: str
    started: float  # seconds since the start of the run
    seconds: float
    status: int  # 0: no HTTP answer (connection error, timeout)
    size: int = 0
    error: str = ""


class Mix:
    """Draw (kind, path) pairs in realistic proportions (weights per 100 requests)."""

    WEIGHTS = {
        "overview": 15, "list": 20, "list json": 3, "commitment": 14, "country": 4, "organisation": 3,
        "document": 5, "api progress": 8, "api list": 8, "api commitment": 8, "openapi.json": 2,
        "atom feed": 6, "csv (filtered)": 4,
    }

    def __init__(self, ledger: Ledger, rng: random.Random):
        self.ledger, self.rng = ledger, rng
        self.kinds, self.weights = zip(*self.WEIGHTS.items(), strict=True)

    def filters(self, *, narrow: bool = False) -> dict:
        """Return random list filters; `narrow` always picks a country and a year (a small export)."""
        rng, ledger, params = self.rng, self.ledger, {}
        if narrow or rng.random() < 0.5:
            params["country"] = ",".join(rng.sample(COUNTRIES, 1 if narrow or rng.random() < 0.8 else 2))
        if rng.random() < 0.35:
            params["instrument"] = rng.choice(ledger.instruments)
        if rng.random() < 0.3 and ledger.pillars:
            params["pillar"] = rng.choice(ledger.pillars)
        if rng.random() < 0.25:
            params["stage"] = rng.choice(ledger.stages)
        if narrow or rng.random() < 0.3:
            params["year"] = str(rng.randint(*ledger.years))
        if not narrow and rng.random() < 0.1:
            params["q"] = rng.choice(WORDS)
        return params

    def draw(self) -> tuple[str, str]:
        rng, ledger = self.rng, self.ledger
        kind = rng.choices(self.kinds, self.weights)[0]
        cid = rng.randint(*ledger.commitment_ids)
        if kind == "overview":
            return kind, f"/?lang={rng.choice(LANGUAGES)}"
        if kind in ("list", "list json", "api list"):
            params = self.filters()
            if rng.random() < 0.3:
                params["page"] = str(rng.randint(2, 6))
            base = {"list": "/commitments/", "list json": "/commitments.json", "api list": "/api/v1/commitments"}
            return kind, f"{base[kind]}?{urlencode(params)}" if params else base[kind]
        paths = {
            "commitment": f"/commitments/{cid}/",
            "country": f"/countries/{rng.choice(COUNTRIES)}/",
            "organisation": f"/organisations/{rng.choice(ledger.organisations)}/",
            "document": f"/documents/{rng.choice(ledger.document_ids)}/",
            "api progress": f"/api/v1/initiatives/{ledger.initiative}/progress",
            "api commitment": f"/api/v1/commitments/{cid}",
            "openapi.json": "/api/v1/openapi.json",
            "atom feed": f"/feeds/commitments.atom?{urlencode(self.filters())}",
            "csv (filtered)": f"/exports/commitments.csv?{urlencode(self.filters(narrow=True))}",
        }
        return kind, paths[kind]


class Connection:
    """One keep-alive HTTP/1.1 connection that reconnects when the server closes it."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def get(self, path: str, language: str) -> tuple[int, int]:
        """Send GET path; return (status, body bytes)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        self.writer.write((f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept-Language: {language}\r\n"
                           "Accept-Encoding: identity\r\nUser-Agent: pledgewatch-bench-load\r\n\r\n").encode())
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            name, _sep, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip().lower()
        if "chunked" in headers.get("transfer-encoding", ""):
            size = await self._chunked()
        elif "content-length" in headers:
            size = int(headers["content-length"])
            await self._skip(size)
        elif status in (204, 304) or status < 200:
            size = 0
        else:  # body until the server closes the connection
            size = 0
            while piece := await self.reader.read(1 << 16):
                size += len(piece)
            headers["connection"] = "close"
        if headers.get("connection") == "close":
            await self.close()
        return status, size

    async def _skip(self, size: int) -> None:
        while size:
            piece = await self.reader.read(min(size, 1 << 16))
            if not piece:
                raise ConnectionError("connection closed inside the body")
            size -= len(piece)

    async def _chunked(self) -> int:
        total = 0
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                return total
            await self._skip(size + 2)
            total += size


@dataclass
class Plan:
    host: str
    port: int
    clients: int
    seconds: float
    ledger: Ledger
    full_export_every: float = 20.0  # seconds between full CSV exports (0: none)
    seed: int = 20251220
    samples: list[Sample] = field(default_factory=list)


async def _user(plan: Plan, number: int, started: float, state: dict) -> None:
    rng = random.Random(plan.seed * 1000 + number)
    mix, language = Mix(plan.ledger, rng), rng.choice(LANGUAGES)
    conn = Connection(plan.host, plan.port)
    deadline = started + plan.seconds
    while (now := time.perf_counter()) < deadline:
        if plan.full_export_every and not state["exporting"] and now >= state["next_full"]:
            state["exporting"], state["next_full"] = True, now + plan.full_export_every
            kind, path = "csv (full export)", "/exports/commitments.csv"
        else:
            kind, path = mix.draw()
        began = time.perf_counter()
        try:
            status, size = await asyncio.wait_for(conn.get(path, language), REQUEST_TIMEOUT)
            error = "" if 200 <= status < 400 else f"HTTP {status}"
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError) as exc:
            status, size, error = 0, 0, f"{type(exc).__name__}: {exc}"[:200]
            await conn.close()
        finally:
            if kind == "csv (full export)":
                state["exporting"] = False
        plan.samples.append(Sample(kind, path, began - started, time.perf_counter() - began, status, size, error))
    await conn.close()


async def run_clients(plan: Plan) -> float:
    """Run plan.clients users for plan.seconds (requests in flight then finish); return the start time."""
    started = time.perf_counter()
    state = {"exporting": False, "next_full": started + min(plan.full_export_every, plan.seconds) / 2}
    await asyncio.gather(*(_user(plan, n, started, state) for n in range(plan.clients)))
    return started
