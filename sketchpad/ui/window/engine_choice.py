"""Preferences > Engine: generate on this computer, or on a server (`sketchpad serve`) at an address with a
token, and a Test connection button that says what the server offers before anything is saved.

The test runs on a thread of its own (a server may take seconds to answer, or never): its answer comes
back to the GUI thread through a Mailbox, and an answer about an address since changed is dropped.
"""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from sketchpad.engine_link.remote import RemoteError, ServerAddress, fetch_offers
from sketchpad.ui.common.fitting import wrapping_label
from sketchpad.ui.common.mailbox import Mailbox

LOCAL, SERVER = "local", "server"


def describe_offers(url: str, offers: dict) -> str:
    """What a server offers, in one sentence for the person choosing it."""
    names = [str(entry.get("name")) for entry in offers.get("models", []) if isinstance(entry, dict)]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    mbd = "with" if offers.get("mbd_on_disk") else "without"
    return (f"Connected to {url}: {offers.get('device', 'an unknown device')}, "
            f"{len(names)} model{'s' if len(names) != 1 else ''} ({shown or 'none'}), {mbd} MultiBand Diffusion.")


class EngineChoice(QWidget):
    def __init__(self, server: str, token: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.where = QComboBox()
        self.where.addItem("This computer", LOCAL)
        self.where.addItem("A server (sketchpad serve)", SERVER)
        self.address = QLineEdit(server)
        self.address.setPlaceholderText("http://gpu-box:8000")
        self.token = QLineEdit(token)
        self.token.setPlaceholderText("token (if the server asks for one)")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test)
        self.result = wrapping_label(QLabel(""))
        self.result.hide()
        self._server = QWidget()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.address, 2)
        row.addWidget(self.token, 1)
        row.addWidget(self.test_button)
        inner = QVBoxLayout(self._server)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(row)
        inner.addWidget(self.result)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.where)
        layout.addWidget(self._server)
        self.where.currentIndexChanged.connect(self._show)
        self.where.setCurrentIndex(1 if server else 0)
        self._show()
        self._mailbox = Mailbox(self)
        self._mailbox.arrived.connect(self._answered)
        self._asked = ""

    @property
    def server(self) -> str:
        """The address chosen, or "" for this computer."""
        return self.address.text().strip() if self.where.currentData() == SERVER else ""

    def _show(self) -> None:
        self._server.setVisible(self.where.currentData() == SERVER)

    def test(self) -> None:
        url, token = self.address.text().strip(), self.token.text().strip() or None
        self._asked = url
        self._say(f"Asking {url or 'the server'}…", "#666")
        self.test_button.setEnabled(False)

        def ask() -> None:
            try:
                answer: tuple[str, str, bool] = (url, describe_offers(url, fetch_offers(ServerAddress(url, token))),
                                                 True)
            except RemoteError as error:
                answer = (url, str(error), False)
            self._mailbox.post(answer)

        threading.Thread(target=ask, name="sketchpad-server-test", daemon=True).start()

    def _answered(self, answer: tuple[str, str, bool]) -> None:
        url, text, fine = answer
        self.test_button.setEnabled(True)
        if url == self._asked:
            self._say(text, "#1c6b2a" if fine else "#b00020")

    def _say(self, text: str, colour: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {colour};")
        self.result.show()
