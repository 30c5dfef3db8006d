"""Writes expected.json: what a YAML parser (PyYAML) finds in each *.yaml file of this folder.

For every key reachable through block mappings, the expected kind and, for scalars, the text
and its 1-based line:
  "scalar"      a one-line plain scalar, or a quoted one without escapes
  "mapping"     a nested mapping
  "other"       anything else (sequence, block or multi-line scalar, alias, escaped string)
  "unsupported" a key relman's locator refuses to address (complex `? key`, inside a flow
                mapping): it must not be found
  "absent"      a `ghost` key that occurs in the text only where it is not a key
relman's YAML locator must agree (tests/it/files/yaml_oracle.rs). Needs PyYAML:
    python3 generate.py
"""
import json
import pathlib

import yaml

HERE = pathlib.Path(__file__).parent


def walk(node, path, out, text, seen, addressable=True):
    if not addressable:
        out.append({"path": path, "kind": "unsupported"})
        return
    if id(node) in seen:
        out.append({"path": path, "kind": "other"})  # an alias
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        if path:
            out.append({"path": path, "kind": "mapping"})
        keys = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            keys.add(key.value)
            line = text.splitlines()[key.start_mark.line]
            complex_key = line.lstrip().startswith("?")
            walk(value, path + [key.value], out, text, seen, not node.flow_style and not complex_key)
        if not node.flow_style and "ghost" not in keys:
            out.append({"path": path + ["ghost"], "kind": "absent"})
        return
    if isinstance(node, yaml.ScalarNode):
        start, end = node.start_mark, node.end_mark
        one_line = start.line == end.line
        if node.style is None and one_line and node.value != "":
            out.append({"path": path, "kind": "scalar", "value": node.value, "line": start.line + 1})
            return
        raw = text[start.index:end.index]
        if node.style in ("'", '"') and one_line and raw.endswith(node.style + node.value + node.style):
            out.append({"path": path, "kind": "scalar", "value": node.value, "line": start.line + 1})
            return
    out.append({"path": path, "kind": "other"})


def main():
    expected = {}
    for file in sorted(HERE.glob("*.yaml")):
        text = file.read_text()
        assert text.isascii(), f"{file.name}: marks are character offsets; keep fixtures ASCII"
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        out = []
        walk(node, [], out, text, set())
        expected[file.name] = out
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


main()
