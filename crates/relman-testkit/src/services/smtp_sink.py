"""An SMTP sink for relman's tests, on aiosmtpd.

Listens on 127.0.0.1 (port 0: the kernel picks), prints `READY <port>` once it accepts
connections, and stores every message it receives in --dir as NNNN.eml (the raw DATA bytes)
plus NNNN.json (envelope, AUTH login, whether TLS was on). The .json is renamed into place
last, so its presence means the message is complete.

Options: --cert/--key turn on STARTTLS (or implicit TLS with --implicit-tls); --user/--password
turn on AUTH (PLAIN and LOGIN, only over TLS, as real servers do) and make it required.
"""

import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = os.path.join(self.directory, "%04d" % self.count)
        with open(stem + ".eml", "wb") as f:
            f.write(envelope.original_content or b"")
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_login": login.decode() if isinstance(login, bytes) else login,
            "tls": session.ssl is not None,
        }
        with open(stem + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.rename(stem + ".json.tmp", stem + ".json")
        return "250 OK stored"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == (args.user or "").encode()
            and auth_data.password == (args.password or "").encode()
        )
        # handled=False lets aiosmtpd send the 535 itself; its default (True) sends nothing.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    store = Store(args.dir)
    auth = args.user is not None

    def factory():
        return SMTP(
            store,
            hostname="relman-test-sink",
            tls_context=None if args.implicit_tls else context,
            require_starttls=context is not None and not args.implicit_tls,
            authenticator=authenticator if auth else None,
            auth_required=auth,
            # Implicit TLS is TLS from the first byte; aiosmtpd only tracks STARTTLS.
            auth_require_tls=not args.implicit_tls,
        )

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(
            factory,
            host="127.0.0.1",
            port=0,
            ssl=context if args.implicit_tls else None,
        )
    )
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write("READY %d\n" % port)
    sys.stdout.flush()
    loop.run_forever()


if __name__ == "__main__":
    main()
