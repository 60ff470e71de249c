"""Demo data (placeholder until the real loader lands)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


DEMO_ACCOUNTS: list[DemoAccount] = []


def database_is_empty() -> bool:
    return True


def load_demo() -> str:
    return ""
