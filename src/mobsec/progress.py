"""Progress display on stderr for long scans (rich), silent when not a terminal."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

PHASE_LABELS = {
    "ingest.archive": "Reading archive / 读取安装包",
    "ingest.manifest": "Manifest / 清单文件",
    "ingest.resources": "Resources / 资源表",
    "ingest.signing": "Verifying signatures / 校验签名",
    "ingest.dex": "Parsing DEX / 解析 DEX",
    "ingest.native": "Native libraries / 原生库",
    "ingest.nested": "Nested code / 内嵌代码",
    "facts.manifest": "Manifest model / 清单模型",
    "facts.code": "Code index / 代码索引",
    "facts.sdks": "Third-party SDKs / 第三方 SDK",
    "checks": "Checks / 检测规则",
}


class ProgressDisplay:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task = None

    def __enter__(self) -> ProgressDisplay:
        if self.enabled:
            # rich takes ~20 ms to import: only when there is a terminal to show progress on
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("mobsec", total=None)
        return self

    def update(self, phase: str, done: int, total: int) -> None:
        if self._progress is None or self._task is None:
            return
        label = PHASE_LABELS.get(phase, phase)
        if total:
            label = f"{label} {done}/{total}"
        self._progress.update(self._task, description=label)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.__exit__(exc_type, exc, tb)
