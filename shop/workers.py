"""Background threads that run for as long as a process serves the shop."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from flask import Flask


def start_per_process(
    app: Flask, key: str, thread_name: str, work: Callable[[], None], every: Callable[[], float]
) -> None:
    """Run ``work()`` every ``every()`` seconds in one daemon thread per process, started at
    the process's first request (so a forking server such as gunicorn does not copy a thread
    that would not run in the child). ``app.extensions[key]`` holds (thread, stop event)."""
    state = {"pid": None}
    lock = threading.Lock()

    def loop(stop: threading.Event) -> None:
        while not stop.wait(every()):
            work()

    @app.before_request
    def ensure_started():
        if state["pid"] == os.getpid():
            return
        with lock:
            if state["pid"] == os.getpid():
                return
            state["pid"] = os.getpid()
            stop = threading.Event()
            thread = threading.Thread(target=loop, args=(stop,), name=thread_name, daemon=True)
            thread.start()
            app.extensions[key] = (thread, stop)
