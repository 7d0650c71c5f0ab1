"""A real SMTP server for the delivery tests and the messages bench: it accepts every message
and keeps it.

    python sink.py --port 0 --maildir DIR [--host 127.0.0.1] [--reject-domain D]... [--stop-on-eof]

Prints `listening on PORT` once it accepts connections. For every message it writes

- `DIR/<n>.eml`  — the message exactly as received (the DATA of the SMTP session);
- `DIR/<n>.json` — the same message read back by Python's standard e-mail parser (decoded
  headers, the text body, the number of MIME parts) plus the SMTP envelope, so a test checks
  what a real mail client would see;

then appends its Message-ID to `DIR/index.txt` and prints `received <n> <Message-ID>`, all
before it answers `250`: whoever got the `250` finds the message on disk. Recipients in a
`--reject-domain` are refused with `550` (a permanent failure, as for an unknown mailbox). Numbering continues
after the highest `<n>` already in DIR, so a sink restarted on the same directory keeps
earlier messages.

Stops on SIGTERM/SIGINT, and with `--stop-on-eof` when its standard input closes (so a sink
started by a test that dies does not outlive it).
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import sys
import threading
from pathlib import Path

from aiosmtpd.smtp import SMTP


class Maildir:
    """Stores messages as numbered files; one writer (the event loop), so no locking."""

    def __init__(self, path: Path):
        self.path = path
        self.path.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.stem) for p in self.path.glob("*.eml") if p.stem.isdigit()]
        self.next = max(numbers, default=0) + 1

    def store(self, content: bytes, mail_from: str, rcpt_tos: list) -> tuple:
        n = self.next
        self.next += 1
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        record = {
            "message_id": str(parsed.get("Message-ID", "")),
            "subject": str(parsed.get("Subject", "")),
            "from": str(parsed.get("From", "")),
            "to": str(parsed.get("To", "")),
            "reply_to": str(parsed.get("Reply-To", "")) if "Reply-To" in parsed else None,
            "date": str(parsed.get("Date", "")),
            "content_type": parsed.get_content_type(),
            "charset": parsed.get_content_charset(),
            "parts": sum(1 for _ in parsed.walk()),
            "headers": [[name, str(value)] for name, value in parsed.items()],
            "text": body.get_content().replace("\r\n", "\n") if body is not None else None,
            "envelope": {"mail_from": mail_from, "rcpt_tos": list(rcpt_tos)},
        }
        # Written under a temporary name and renamed, so a reader never sees half a file.
        for suffix, data in ((".eml", content), (".json", json.dumps(record).encode())):
            tmp = self.path / f".{n}{suffix}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, self.path / f"{n}{suffix}")
        with open(self.path / "index.txt", "a", encoding="utf-8") as index:
            index.write(record["message_id"] + "\n")
        return n, record["message_id"]


class Handler:
    def __init__(self, maildir: Maildir, reject_domains: list):
        self.maildir = maildir
        self.reject_domains = [d.lower() for d in reject_domains]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rpartition("@")[2].lower()
        if domain in self.reject_domains:
            # Worded like Postfix: real servers quote the refused address in their reply.
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n, message_id = self.maildir.store(
            envelope.original_content or envelope.content,
            envelope.mail_from,
            envelope.rcpt_tos,
        )
        print(f"received {n} {message_id}", flush=True)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--maildir", required=True, type=Path)
    parser.add_argument("--reject-domain", action="append", default=[])
    parser.add_argument("--stop-on-eof", action="store_true")
    args = parser.parse_args()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Handler(Maildir(args.maildir), args.reject_domain)
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, hostname="sink.test", enable_SMTPUTF8=True),
            host=args.host,
            port=args.port,
        )
    )
    port = server.sockets[0].getsockname()[1]

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.stop_on_eof:

        def watch_stdin() -> None:
            while sys.stdin.buffer.read(4096):
                pass
            loop.call_soon_threadsafe(stop.set)

        threading.Thread(target=watch_stdin, daemon=True).start()

    print(f"listening on {port}", flush=True)
    loop.run_until_complete(stop.wait())
    server.close()
    loop.run_until_complete(server.wait_closed())


if __name__ == "__main__":
    main()
