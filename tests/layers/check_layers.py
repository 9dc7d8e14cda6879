#!/usr/bin/env python3
"""Checks that every #include between the project's own files follows the layer table.

The table is the one place that states which layer may use which: the `coinone_layer(NAME USES
...)` calls in the top CMakeLists.txt, which also link the libraries. A file's layer is its
folder under src/ or include/coinone_annotate/ (src/main.cpp, the executable, sits above every
layer and may use only `app`). The check fails, naming the file and line, on:
  - an include of a layer that the file's layer does not list under USES;
  - an include of a project header that does not exist or lies outside every layer;
  - a cycle in the table, or between headers.

Usage: check_layers.py REPO_ROOT
"""
import pathlib
import re
import sys

LAYER_CALL = re.compile(r"coinone_layer\(\s*(\w+)([^)]*)\)", re.S)
INCLUDE = re.compile(r'^\s*#\s*include\s+"coinone_annotate/([^"]+)"', re.M)
MAIN_LAYER = "main"


def read_table(cmake_text):
    """Returns {layer: set of layers it may use} from the coinone_layer() calls."""
    table = {}
    for name, args in LAYER_CALL.findall(cmake_text):
        words = args.split()
        uses = set()
        if "USES" in words:
            for word in words[words.index("USES") + 1:]:
                if word.isupper():
                    break
                uses.add(word)
        table[name] = uses
    return table


def find_cycle(graph):
    """Returns one cycle of graph {node: iterable of nodes} as a list, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def layer_of(root, path):
    rel = path.relative_to(root).parts
    if rel[0] == "src":
        return MAIN_LAYER if len(rel) == 2 else rel[1]
    return rel[2] if len(rel) > 3 else None  # include/coinone_annotate/LAYER/x.h


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    table = read_table((root / "CMakeLists.txt").read_text())
    problems = []
    if not table:
        problems.append("CMakeLists.txt: no coinone_layer() calls found")
    table[MAIN_LAYER] = {"app"}
    for layer, uses in table.items():
        for used in uses - set(table):
            problems.append(f"CMakeLists.txt: layer {layer} uses unknown layer {used}")
    cycle = find_cycle(table)
    if cycle:
        problems.append("CMakeLists.txt: the layer table has a cycle: " + " -> ".join(cycle))

    files = sorted(p for d in ("src", "include") for p in (root / d).rglob("*")
                   if p.suffix in (".h", ".cpp", ".in"))
    header_graph = {}
    for path in files:
        layer = layer_of(root, path)
        rel = path.relative_to(root)
        if layer not in table:
            problems.append(f"{rel}: lies outside every layer folder")
            continue
        text = path.read_text(errors="replace")
        for match in INCLUDE.finditer(text):
            target = match.group(1)
            line = text.count("\n", 0, match.start()) + 1
            parts = target.split("/")
            if len(parts) != 2 or not (root / "include/coinone_annotate" / target).is_file():
                problems.append(f"{rel}:{line}: includes {target}, not a header of a layer")
                continue
            used = parts[0]
            if used != layer and used not in table[layer]:
                problems.append(f"{rel}:{line}: layer {layer} includes {target}, but "
                                f"CMakeLists.txt does not let {layer} use {used}")
            if rel.parts[0] == "include":
                header_graph.setdefault("/".join(rel.parts[2:]), set()).add(target)
    cycle = find_cycle(header_graph)
    if cycle:
        problems.append("headers include each other in a cycle: " + " -> ".join(cycle))

    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"layers: {len(table) - 1} layers, {len(files)} files checked, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
