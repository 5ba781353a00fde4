"""``python3 run.py test`` runs pytest with three xdist workers unless told otherwise."""

from __future__ import annotations

import pytest

from run import pytest_options, suite_environment


def test_the_default_is_three_workers_whole_files_and_the_slowest_fifteen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MOCKCP_TEST_WORKERS", raising=False)
    assert pytest_options(["tests/soap", "-q"]) == [
        "-n", "3", "--dist", "loadfile", "--durations=15", "tests/soap", "-q",
    ]


@pytest.mark.parametrize(
    "given",
    [["-n", "4"], ["-n4"], ["--numprocesses=auto"], ["--dist", "load"], ["-p", "no:xdist"]],
)
def test_workers_chosen_on_the_command_line_win(
    monkeypatch: pytest.MonkeyPatch, given: list[str]
) -> None:
    monkeypatch.delenv("MOCKCP_TEST_WORKERS", raising=False)
    assert pytest_options(given) == ["--durations=15", *given]


def test_zero_workers_is_a_serial_run_and_given_durations_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MOCKCP_TEST_WORKERS", "0")
    assert pytest_options(["--durations=3"]) == ["--durations=3"]
    monkeypatch.setenv("MOCKCP_TEST_WORKERS", "3")
    assert pytest_options([])[:4] == ["-n", "3", "--dist", "loadfile"]


def test_the_suite_may_write_bytecode_caches_and_keeps_every_other_variable() -> None:
    given = {"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/bin", "MOCKCP_TEST_WORKERS": "2"}
    assert suite_environment(given) == {"PATH": "/bin", "MOCKCP_TEST_WORKERS": "2"}
    assert given["PYTHONDONTWRITEBYTECODE"] == "1"  # the caller's own is left alone
