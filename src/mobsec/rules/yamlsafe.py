"""Rule files are attacker-controlled: YAML read within bounds, with the line of every value.

PyYAML's safe loader builds only plain types, but it still expands aliases (a "billion
laughs" file is a few hundred bytes) and composes recursively (a file nested ten thousand
levels deep overflows the stack). So the file is first checked on its size, then walked as
an event stream (iterative, no tree) for depth, node count and aliases, and only then
composed. The result is a tree of :class:`Node` that keeps each value's line, so a rule
error can name the line it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError

MAX_BYTES = 256 * 1024  # one rule file; a pack of hundreds of rules is far below this
MAX_DEPTH = 32  # nesting of mappings and sequences
MAX_NODES = 50_000  # scalars, mappings and sequences in one file


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value (str, bool, int, float, None, list of Node, dict of str → Node) and its
    1-based line."""

    value: Any
    line: int


def load_yaml(path: Path, display: str | None = None) -> Node:
    """The file's single document as a :class:`Node` tree, or :class:`RuleFileError`."""
    name = display or str(path)
    try:
        # a symlink to /dev/zero or a FIFO must not hang the loader: regular files only,
        # and never more than the bound is read
        if path.is_symlink() or not path.is_file():
            raise RuleFileError(name, None, "not a regular file", "不是普通文件")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise RuleFileError(
                name,
                None,
                f"file too large (over {MAX_BYTES} bytes)",
                f"文件过大(超过 {MAX_BYTES} 字节)",
            )
    except OSError as e:
        raise RuleFileError(name, None, f"cannot read: {e}", f"无法读取:{e}") from e
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RuleFileError(name, None, "not UTF-8 text", "不是 UTF-8 文本") from e
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Node:
    try:
        _check_events(text, name)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise RuleFileError(
            name, line, f"not valid YAML: {e.problem}", f"不是有效的 YAML:{e.problem}"
        ) from e
    except yaml.YAMLError as e:
        raise RuleFileError(name, None, f"not valid YAML: {e}", f"不是有效的 YAML:{e}") from e
    if root is None:
        raise RuleFileError(name, None, "the file is empty", "文件为空")
    return _convert(root, name)


def _check_events(text: str, name: str) -> None:
    depth = nodes = documents = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise RuleFileError(
                name,
                line,
                "YAML anchors and aliases are not allowed in rule files",
                "规则文件中不允许使用 YAML 锚点和别名",
            )
        if getattr(event, "tag", None) is not None:  # !!python/object... never reaches a loader
            raise RuleFileError(
                name,
                line,
                f"YAML tags are not allowed in rule files ({event.tag})",
                f"规则文件中不允许使用 YAML 标签({event.tag})",
            )
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise RuleFileError(
                    name, line, "one YAML document per file", "每个文件只能包含一个 YAML 文档"
                )
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise RuleFileError(
                    name,
                    line,
                    f"nested deeper than {MAX_DEPTH} levels",
                    f"嵌套超过 {MAX_DEPTH} 层",
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.ScalarEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                raise RuleFileError(
                    name, line, f"more than {MAX_NODES} values", f"值的数量超过 {MAX_NODES}"
                )


_CONSTRUCTOR = yaml.SafeLoader("")  # resolves scalars to bool/int/float/None/str


def _convert(node: yaml.Node, name: str) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        try:
            value = _CONSTRUCTOR.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as e:
            raise RuleFileError(name, line, f"bad value: {e}", f"值无效:{e}") from e
        if not isinstance(value, (str, bool, int, float, type(None))):
            value = str(node.value)  # dates, binary...: rules only ever want the text
        return Node(value, line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(n, name) for n in node.value], line)
    out: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, name)
        if not isinstance(key.value, str):
            raise RuleFileError(
                name,
                key.line,
                f"keys must be text, not {key.value!r}",
                f"键必须是文本:{key.value!r}",
            )
        if key.value in out:
            raise RuleFileError(
                name, key.line, f"key {key.value!r} given twice", f"键 {key.value!r} 重复"
            )
        out[key.value] = _convert(value_node, name)
    return Node(out, line)
