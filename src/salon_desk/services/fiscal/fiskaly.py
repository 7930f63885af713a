"""A cloud TSE: fiskaly SIGN DE (API v2) over HTTPS with httpx.

The parts used: ``POST /auth`` (API key and secret for a bearer token), ``GET
/tss/{tss}`` (the TSS and its serial number), ``PUT /tss/{tss}/client/{client}``
(this till as a client), and ``PUT /tss/{tss}/tx/{tx}?tx_revision=n`` to start
(``ACTIVE``), finish (``FINISHED`` with the receipt's ``amounts_per_vat_rate`` and
``amounts_per_payment_type``) or cancel (``CANCELLED``) a transaction. Every failure
(connection refused, timeout, an error status) becomes a TseError, which the sale
flow turns into a documented outage.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from salon_desk.i18n import _
from salon_desk.services.checkout.tse import SIGNED_STATUS, TseError, TseReceiptData, TseSignature, TseStart

DEFAULT_BASE_URL = "https://kassensichv-middleware.fiskaly.com/api/v2"
PROCESS_TYPE = "Kassenbeleg-V1"
VAT_RATES = {
    Decimal("19"): "NORMAL",
    Decimal("7"): "REDUCED_1",
    Decimal("10.7"): "SPECIAL_RATE_1",
    Decimal("5.5"): "SPECIAL_RATE_2",
    Decimal("0"): "NULL",
}
PAYMENT_TYPES = {"cash": "CASH", "card": "NON_CASH"}
TOKEN_MARGIN_SECONDS = 30


@dataclass(frozen=True)
class TssDetails:
    """What the export's tse.csv needs of the TSS: serial number, public key and certificate (base64)."""

    serial: str
    public_key: str = ""
    certificate: str = ""


def _base64(text: str) -> str:
    """A key or certificate as bare base64: without PEM armour lines and line breaks."""
    return "".join(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("-----"))


@dataclass(frozen=True)
class FiskalyConfig:
    """Where the TSS is and which client this till is; the key and secret come from the credential store."""

    api_key: str
    api_secret: str
    tss_id: str
    client_id: str
    client_serial: str = "salon-desk"
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 8.0


def _amount(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _iso(epoch: Any) -> str:
    return datetime.fromtimestamp(int(epoch), UTC).isoformat(timespec="seconds") if epoch else ""


def receipt_schema(data: TseReceiptData) -> dict[str, Any]:
    """The ``standard_v1`` receipt fiskaly signs: gross per VAT rate and per payment type."""
    per_rate: dict[str, Decimal] = {}
    for rate, gross in data.vat_amounts:
        key = VAT_RATES.get(Decimal(rate).normalize() if rate else Decimal("0"), "NULL")
        per_rate[key] = per_rate.get(key, Decimal("0")) + gross
    return {
        "standard_v1": {
            "receipt": {
                "receipt_type": "CANCELLATION" if data.reverses_number is not None else "RECEIPT",
                "amounts_per_vat_rate": [{"vat_rate": k, "amount": _amount(v)} for k, v in per_rate.items()],
                "amounts_per_payment_type": [
                    {"payment_type": PAYMENT_TYPES.get(data.payment_method, "NON_CASH"), "amount": _amount(data.total)}
                ],
            }
        }
    }


class FiskalyTse:
    """The TseAdapter for fiskaly SIGN DE; one per till, reusing its connection and token."""

    def __init__(self, config: FiskalyConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self._http = httpx.Client(
            base_url=config.base_url.rstrip("/"), timeout=httpx.Timeout(config.timeout), transport=transport
        )
        self._token = ""
        self._token_until = 0.0

    def close(self) -> None:
        """Close the HTTP connection."""
        self._http.close()

    # -- HTTP -----------------------------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise TseError(_("The TSE did not answer within {seconds:g} s.").format(seconds=self.config.timeout)) from exc
        except httpx.HTTPError as exc:
            raise TseError(_("The TSE cannot be reached ({error}).").format(error=exc)) from exc

    @staticmethod
    def _checked(response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            try:
                detail = response.json().get("message", "")
            except ValueError:
                detail = response.text[:200]
            raise TseError(
                _("The TSE refused the request ({status}). {detail}")
                .format(status=f"{response.status_code} {response.reason_phrase}", detail=detail)
                .strip()
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise TseError(_("The TSE answered with something that is not JSON.")) from exc
        if not isinstance(body, dict):
            raise TseError(_("The TSE answered with something unexpected."))
        return body

    def _authenticate(self) -> None:
        body = self._checked(
            self._send("POST", "/auth", json={"api_key": self.config.api_key, "api_secret": self.config.api_secret})
        )
        self._token = str(body.get("access_token", ""))
        if not self._token:
            raise TseError(_("The TSE gave no access token."))
        self._token_until = time.monotonic() + float(body.get("access_token_expires_in", 300)) - TOKEN_MARGIN_SECONDS

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """An authorised call; an expired token is renewed once."""
        for attempt in range(2):
            if not self._token or time.monotonic() >= self._token_until:
                self._authenticate()
            response = self._send(method, path, headers={"Authorization": f"Bearer {self._token}"}, **kwargs)
            if response.status_code == 401 and attempt == 0:
                self._token = ""
                continue
            return self._checked(response)
        raise TseError(_("The TSE refused the API key and secret."))  # pragma: no cover - the loop returns or raises

    def _tss(self) -> str:
        return f"/tss/{self.config.tss_id}"

    # -- set-up ---------------------------------------------------------------------------

    def set_up(self) -> TssDetails:
        """Check the TSS is initialised and register this till as its client; returns the TSS's details."""
        tss = self._call("GET", self._tss())
        if tss.get("state") != "INITIALIZED":
            raise TseError(_("The TSS is in the state {state}, not INITIALIZED.").format(state=tss.get("state", "?")))
        self._call(
            "PUT", f"{self._tss()}/client/{self.config.client_id}", json={"serial_number": self.config.client_serial}
        )
        return TssDetails(
            str(tss.get("serial_number", "")),
            _base64(str(tss.get("public_key") or "")),
            _base64(str(tss.get("certificate") or "")),
        )

    # -- transactions ---------------------------------------------------------------------

    def _tx(self, tx_id: str, revision: int, body: dict[str, Any]) -> dict[str, Any]:
        body = {"client_id": self.config.client_id, **body}
        return self._call("PUT", f"{self._tss()}/tx/{tx_id}", params={"tx_revision": revision}, json=body)

    def start_transaction(self) -> TseStart:
        """Open a transaction (state ACTIVE)."""
        tx_id = str(uuid.uuid4())
        body = self._tx(tx_id, 1, {"state": "ACTIVE"})
        return TseStart(transaction=tx_id, started_at=_iso(body.get("time_start")))

    def finish_transaction(self, start: TseStart, data: TseReceiptData) -> TseSignature:
        """Finish the transaction with the receipt's amounts; the answer carries signature, counter and QR data."""
        body = self._tx(start.transaction, 2, {"state": "FINISHED", "schema": receipt_schema(data)})
        signature = body.get("signature") or {}
        if body.get("state") != "FINISHED" or not signature.get("value"):
            raise TseError(_("The TSE finished the transaction without a signature."))
        return TseSignature(
            status=SIGNED_STATUS,
            serial=str(body.get("tss_serial_number", "")),
            transaction=str(body.get("number", "")),
            signature_counter=str(signature.get("counter", "")),
            signature=str(signature["value"]),
            start=_iso(body.get("time_start")),
            finish=_iso(body.get("time_end")),
            qr_code=str(body.get("qr_code_data", "")),
            process_type=PROCESS_TYPE,
            process_data=str(body.get("process_data", "")),
        )

    def cancel_transaction(self, start: TseStart) -> None:
        """Abort the transaction of a sale that was not written (state CANCELLED)."""
        self._tx(start.transaction, 2, {"state": "CANCELLED"})
