#!/usr/bin/env python3
"""build/sources-consistent: CMake and waf must build the same module.

CMakeLists.txt (with examples/CMakeLists.txt) and wscript (with examples/wscript) each
find the module's sources, public headers and TestSuites by folder patterns, and list its
ns-3 dependencies and example programs. This script expands both sets of patterns and
fails when

  * the two builds find different files or list different ns-3 modules,
  * CMake's LISP_NS3_MODULES and its build_lib() lib<module> variables disagree,
  * a listed file does not exist, or
  * a source or header in model/ or helper/ (any depth) is found by no pattern (it would
    silently not be built), or
  * a public header includes a private one (*_internal.h), which is not installed.

usage: check_sources.py [REPO_ROOT]   (default: the parent of this script's directory)
Only the Python standard library is used.
"""

import ast
import fnmatch
import glob
import os
import re
import sys


def cmake_commands(path):
    """(command, [arguments]) for every command in a CMake file, comments removed."""
    with open(path, encoding="utf-8") as f:
        text = "\n".join(line.split("#", 1)[0] for line in f.read().splitlines())
    return [(m.group(1).lower(), m.group(2).split())
            for m in re.finditer(r"(\w+)\s*\(([^()]*)\)", text)]


def cmake_set(commands, variable):
    """The words of `set(<variable> ...)`; it must occur exactly once."""
    found = [args[1:] for cmd, args in commands if cmd == "set" and args[:1] == [variable]]
    if len(found) != 1:
        raise SystemExit(f"check_sources: expected one set({variable} ...), found {len(found)}")
    return found[0]


def expand(root, patterns, exclude=()):
    """Files matching the glob patterns (relative to root), minus those matching exclude."""
    found = set()
    for pattern in patterns:
        found.update(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, pattern))
                     if os.path.isfile(p))
    return sorted(f for f in found if not any(fnmatch.fnmatch(f, x) for x in exclude))


def read_cmake(root):
    commands = cmake_commands(os.path.join(root, "CMakeLists.txt"))
    build_lib = [args for cmd, args in commands if cmd == "build_lib"]
    if len(build_lib) != 1:
        raise SystemExit("check_sources: expected one build_lib(...) in CMakeLists.txt")
    globs = {args[0]: args[1:] for cmd, args in commands if cmd == "lisp_glob" and args}
    for name in ("LISP_ENGINE_SOURCES", "LISP_ENGINE_ALL_HEADERS", "LISP_NS3_SOURCES",
                 "LISP_NS3_HEADERS", "LISP_NS3_TEST_SUITES"):
        if name not in globs:
            raise SystemExit(f"check_sources: no lisp_glob({name} ...) in CMakeLists.txt")
    headers = expand(root, globs["LISP_ENGINE_ALL_HEADERS"])
    example_commands = cmake_commands(os.path.join(root, "examples", "CMakeLists.txt"))
    return {
        "patterns": [p for patterns in globs.values() for p in patterns],
        "engine sources": expand(root, globs["LISP_ENGINE_SOURCES"]),
        "engine headers": [h for h in headers if not h.endswith("_internal.h")],
        "private headers": [h for h in headers if h.endswith("_internal.h")],
        "ns-3 sources": expand(root, globs["LISP_NS3_SOURCES"]),
        "ns-3 headers": expand(root, globs["LISP_NS3_HEADERS"]),
        "ns-3 modules": cmake_set(commands, "LISP_NS3_MODULES"),
        "build_lib modules": re.findall(r"\$\{lib([\w.+-]+)\}", " ".join(build_lib[0])),
        "test suites": expand(root, globs["LISP_NS3_TEST_SUITES"]),
        "examples": cmake_set(example_commands, "LISP_EXAMPLES"),
        "ns-3 examples": cmake_set(example_commands, "LISP_NS3_EXAMPLES"),
    }


def literal(node):
    """A Python literal from a wscript, or None when the node is not one."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def ant_glob(root, call):
    """The files an ant_glob(patterns, excl=...) call of a wscript finds ("**" not used)."""
    patterns = literal(call.args[0]) if call.args else None
    if isinstance(patterns, str):
        patterns = [patterns]
    exclude = [literal(k.value) for k in call.keywords if k.arg == "excl"]
    exclude = [x for e in exclude for x in ([e] if isinstance(e, str) else e)]
    return expand(root, patterns or [], exclude)


def read_wscript(root):
    """Sources, headers, dependencies and tests from wscript's build() assignments."""
    with open(os.path.join(root, "wscript"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    made_by = {}  # variable -> the bld.<method> (or "bld") call that created it
    deps = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            call = node.value
            name = call.func.attr if isinstance(call.func, ast.Attribute) else "bld"
            for target in node.targets:
                if isinstance(target, ast.Name):
                    made_by[target.id] = name
            if name == "create_ns3_module":
                deps = literal(call.args[1])
    lists = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Attribute)
                and node.targets[0].attr == "source"
                and isinstance(node.targets[0].value, ast.Name)
                and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "attr", None) == "ant_glob"):
            lists[made_by.get(node.targets[0].value.id)] = ant_glob(root, node.value)
    with open(os.path.join(root, "examples", "wscript"), encoding="utf-8") as f:
        examples_tree = ast.parse(f.read())
    example_lists = {}
    for node in ast.walk(examples_tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            example_lists[node.targets[0].id] = literal(node.value)
    return {
        "sources": lists.get("create_ns3_module"),
        "tests": lists.get("create_ns3_module_test_library"),
        "headers": lists.get("bld"),
        "modules": deps,
        "examples": example_lists.get("LISP_EXAMPLES"),
        "ns-3 examples": example_lists.get("LISP_NS3_EXAMPLES"),
    }


def compare(problems, what, cmake, waf):
    if waf is None:
        problems.append(f"{what}: not found in the waf files")
        return
    if sorted(cmake) != sorted(waf):
        only_cmake = sorted(set(cmake) - set(waf))
        only_waf = sorted(set(waf) - set(cmake))
        problems.append(f"{what} differ: only in CMake {only_cmake}, only in waf {only_waf}"
                        + ("" if only_cmake or only_waf else " (duplicates)"))


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), os.pardir))
    cm = read_cmake(root)
    waf = read_wscript(root)
    problems = []

    compare(problems, "module sources", cm["engine sources"] + cm["ns-3 sources"],
            waf["sources"])
    compare(problems, "public headers", cm["engine headers"] + cm["ns-3 headers"],
            waf["headers"])
    compare(problems, "TestSuite sources", cm["test suites"], waf["tests"])
    compare(problems, "ns-3 module dependencies", cm["ns-3 modules"], waf["modules"])
    compare(problems, "examples", cm["examples"], waf["examples"])
    compare(problems, "ns-3 examples", cm["ns-3 examples"], waf["ns-3 examples"])
    if sorted(cm["ns-3 modules"]) != sorted(cm["build_lib modules"]):
        problems.append(f"CMakeLists.txt: LISP_NS3_MODULES {cm['ns-3 modules']} but build_lib() "
                        f"links {cm['build_lib modules']}")

    listed = (cm["engine sources"] + cm["engine headers"] + cm["private headers"]
              + cm["ns-3 sources"] + cm["ns-3 headers"] + cm["test suites"]
              + [f"examples/{name}.c" for name in cm["examples"]]
              + [f"examples/{name}.cc" for name in cm["ns-3 examples"]])
    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            problems.append(f"listed but missing: {path}")
    for directory in ("model", "helper"):
        for folder, _, names in os.walk(os.path.join(root, directory)):
            for name in sorted(names):
                path = os.path.relpath(os.path.join(folder, name), root)
                if name.endswith((".c", ".cc", ".h", ".cpp", ".hpp")) and path not in listed:
                    problems.append(f"no build pattern finds {path} (CMakeLists.txt lisp_glob)")
    private = {os.path.basename(h) for h in cm["private headers"]}
    for header in cm["engine headers"] + cm["ns-3 headers"]:
        with open(os.path.join(root, header), encoding="utf-8") as f:
            for included in re.findall(r'#include\s+"(?:ns3/)?([^"]+)"', f.read()):
                if included in private:
                    problems.append(f"public header {header} includes private {included}")

    for problem in problems:
        print("check_sources:", problem)
    if problems:
        return 1
    print(f"check_sources: CMake and waf agree on {len(listed)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
