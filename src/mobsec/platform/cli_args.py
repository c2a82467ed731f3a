"""Arguments of the platform commands (``mobsec serve``, ``mobsec platform ...``).

Plain argparse, no Django: ``mobsec --help`` and ``mobsec scan`` must not load Django.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_DATA = Path("mobsec-data")


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, default=DEFAULT_DATA,
                   help="data directory: SQLite database, package store, keys "
                   "(default ./mobsec-data) / 数据目录")  # fmt: skip


def add_commands(sub) -> None:
    s = sub.add_parser(
        "serve",
        help="run the web platform with local workers / 启动检测平台（含本地任务进程）",
        description="Migrates the SQLite database in --data, starts the web server and a pool "
        "of local worker processes, and prints the URL. / 迁移数据库，启动 Web 服务与本地任务进程。",
    )
    _data_arg(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on / 监听地址")
    s.add_argument("--port", type=int, default=8000, help="port (0: any free port) / 端口")
    s.add_argument("--workers", type=int, default=2, help="local scan workers / 任务进程数")
    s.add_argument(
        "--demo",
        type=Path,
        metavar="APK",
        help="create the demo organisation and user and scan APK / 创建演示组织并检测该应用",
    )
    s.add_argument("--check", action="store_true",
                   help="start, probe /api/health/, scan the --demo app through the API, stop; "
                   "exit 0 when all worked / 自检后退出")  # fmt: skip

    p = sub.add_parser("platform", help="platform administration / 平台管理")
    psub = p.add_subparsers(dest="platform_command", required=True)
    c = psub.add_parser(
        "create-user",
        help="create a user with a role in an organisation / 创建用户并授予组织角色",
        description="With --token, an API token is printed as the last line of stdout.",
    )
    c.add_argument("name", help="user name / 用户名")
    c.add_argument("--org", required=True, help="organisation name (created if new) / 组织名")
    c.add_argument(
        "--role",
        required=True,
        help="platform_admin, org_admin, tester, vendor or regulator (docs/roles.md)",
    )
    c.add_argument(
        "--token", action="store_true", help="also create an API token / 同时创建 API 令牌"
    )
    c.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin (default: generate and print one)",
    )
    _data_arg(c)
