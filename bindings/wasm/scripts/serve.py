#!/usr/bin/env python3
"""Serves a folder on 127.0.0.1 (only there) for the playground: static
files, `.wasm` as application/wasm, nothing cached. Prints the URL as its
first line of output. `--port 0` takes a free port."""

import argparse
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".gate": "text/plain; charset=utf-8",
        ".css": "text/css",
        ".svg": "image/svg+xml",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("root", help="the folder to serve")
    p.add_argument("--port", type=int, default=8737, help="0 for a free port")
    p.add_argument("--quiet", action="store_true", help="do not log requests")
    args = p.parse_args()
    handler = functools.partial(Handler, directory=args.root)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as httpd:
        httpd.verbose = not args.quiet
        port = httpd.server_address[1]
        print(f"http://127.0.0.1:{port}/", flush=True)
        if not args.quiet:
            print(f"serving {args.root} -- open the URL above; Ctrl-C stops", file=sys.stderr, flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
