"""A local server speaking the parts of fiskaly SIGN DE v2 the TSE adapter uses (pytest-httpserver)."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TSS_ID = "tss-0001"
CLIENT_ID = "client-0001"
SERIAL = "f1e2d3c4b5a6-serial"
API_KEY, API_SECRET = "test_key", "test_secret"
PUBLIC_KEY = "BHhWOeisRpPBTGQ1W4VUH95TXx2GARf8e2NYZXJoInjtGqnxJ8sZ3CQpYgjI+LYEmW5A37sLWHsyU7nSJUBemyU="
CERTIFICATE_BASE64 = "MIIC" + "A" * 1496 + "Zz=="
"""1,504 characters of base64: tse.csv holds them in its first two certificate columns."""
CERTIFICATE = "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n".format(
    "\n".join(CERTIFICATE_BASE64[at : at + 64] for at in range(0, len(CERTIFICATE_BASE64), 64))
)


@dataclass
class FiskalyServer:
    """The TSS's state; ``failure`` makes the transaction calls answer with that status, ``delay`` slows them."""

    server: HTTPServer
    failure: int = 0
    delay: float = 0.0
    counter: int = 0
    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    finished: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        """The API's address on the local server."""
        return self.server.url_for("/api/v2")

    def install(self) -> None:
        """Register the handlers (they stay for the whole test)."""
        self.server.expect_request("/api/v2/auth", method="POST").respond_with_handler(self._auth)
        self.server.expect_request(f"/api/v2/tss/{TSS_ID}", method="GET").respond_with_json(
            {
                "_id": TSS_ID,
                "state": "INITIALIZED",
                "serial_number": SERIAL,
                "public_key": PUBLIC_KEY,
                "certificate": CERTIFICATE,
            }
        )
        client = re.compile(rf"^/api/v2/tss/{TSS_ID}/client/[^/]+$")
        self.server.expect_request(client, method="PUT").respond_with_handler(self._client)
        tx = re.compile(rf"^/api/v2/tss/{TSS_ID}/tx/[^/]+$")
        self.server.expect_request(tx, method="PUT").respond_with_handler(self._tx)

    @staticmethod
    def _json(body: dict[str, Any], status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _auth(self, request: Request) -> Response:
        body = request.get_json()
        if (body.get("api_key"), body.get("api_secret")) != (API_KEY, API_SECRET):
            return self._json({"message": "invalid credentials"}, 401)
        return self._json({"access_token": "token-1", "access_token_expires_in": 86400})

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("Authorization") == "Bearer token-1"

    def _client(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._json({"message": "unauthorised"}, 401)
        return self._json({"_id": request.path.rsplit("/", 1)[1], "serial_number": request.get_json()["serial_number"]})

    def _tx(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._json({"message": "unauthorised"}, 401)
        if self.delay:
            time.sleep(self.delay)
        if self.failure:
            return self._json({"message": "TSS unavailable"}, self.failure)
        tx_id = request.path.rsplit("/", 1)[1]
        body = request.get_json()
        with self.lock:
            return self._json(self._transition(tx_id, int(request.args["tx_revision"]), body))

    def _transition(self, tx_id: str, revision: int, body: dict[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        if revision == 1:
            self.transactions[tx_id] = {"number": len(self.transactions) + 1, "time_start": now, "state": "ACTIVE"}
            return {"_id": tx_id, **self.transactions[tx_id]}
        tx = self.transactions[tx_id]
        tx["state"] = body["state"]
        if body["state"] != "FINISHED":
            return {"_id": tx_id, **tx}
        self.counter += 1
        self.finished.append(body)
        signature = f"MEUCIQ-sig-{tx['number']}"
        process_data = "Beleg^" + json.dumps(body["schema"], sort_keys=True)
        qr = ";".join(
            ["V0", body["client_id"], "Kassenbeleg-V1", process_data, str(tx["number"]), str(self.counter),
             str(tx["time_start"]), str(now), "ecdsa-plain-SHA384", "unixTime", signature, "BHhWOeisRpPBTGQ1W4VUH95TXx"]
        )  # fmt: skip
        return {
            "_id": tx_id,
            "state": "FINISHED",
            "number": tx["number"],
            "time_start": tx["time_start"],
            "time_end": now,
            "tss_serial_number": SERIAL,
            "signature": {"value": signature, "counter": self.counter, "algorithm": "ecdsa-plain-SHA384"},
            "qr_code_data": qr,
        }


def start(server: HTTPServer) -> FiskalyServer:
    """The fake TSS on ``server``."""
    fake = FiskalyServer(server)
    fake.install()
    return fake
