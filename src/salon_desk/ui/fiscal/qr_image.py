"""The TSE's QR code as an image for receipts: the matrix from ``qrcode``, painted by Qt."""

from __future__ import annotations

import qrcode
from PySide6.QtGui import QColor, QImage, QPainter

MODULE_PIXELS = 8


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code's modules, row by row (True is dark), with the standard quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_image(data: str) -> QImage:
    """A black-on-white QR code of ``data``."""
    matrix = qr_matrix(data)
    size = len(matrix) * MODULE_PIXELS
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    black = QColor("black")
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * MODULE_PIXELS, y * MODULE_PIXELS, MODULE_PIXELS, MODULE_PIXELS, black)
    painter.end()
    return image
