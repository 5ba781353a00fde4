"""How a request learns that its client left without waitress reading the channel (#18).

``mockcp.server`` runs waitress without a request lookahead, so nothing reads a connection
while its request runs; a forced hang asks ``client_gone``, which peeks at the socket.
"""

from __future__ import annotations

import socket

from mockcp.server import client_gone


def test_an_idle_open_connection_is_not_gone() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.setblocking(False)
        assert client_gone(ours) is False


def test_a_request_sent_ahead_is_not_gone_and_stays_to_be_read() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.setblocking(False)
        theirs.sendall(b"POST / HTTP/1.1\r\n")
        assert client_gone(ours) is False
        assert ours.recv(64) == b"POST / HTTP/1.1\r\n"  # peeked, not consumed


def test_a_closed_peer_is_gone() -> None:
    ours, theirs = socket.socketpair()
    with ours:
        ours.setblocking(False)
        theirs.close()
        assert client_gone(ours) is True


def test_a_closed_or_missing_socket_is_gone() -> None:
    ours, theirs = socket.socketpair()
    theirs.close()
    ours.close()
    assert client_gone(ours) is True
    assert client_gone(None) is True
