"""Rows the benchmarks insert in bulk, written once: a member as the `person` table holds one."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def member_row(n: int, now: datetime, *, prefix: str = "m", name: str = "会员") -> dict[str, Any]:
    """Member number `n`: a unique username, ID digest and email, and a masked ID number."""
    return {
        "username": f"{prefix}{n}",
        "name": f"{name}{n}",
        "id_number_digest": f"{n:064d}",
        "id_number_masked": "110105***********X",
        "email": f"{prefix}{n}@example.cn",
        "language": "zh-CN",
        "employer": "",
        "created_at": now,
    }
