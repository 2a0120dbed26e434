#!/usr/bin/env python3
"""gen_schema.py — turns the TR-181 reference tables (parameters.tsv, commands-events.tsv) into the
static C schema table datamodel/dm_schema_tr181.c (nodes, arguments and lookup indexes).

Usage: scripts/gen_schema.py [TSV_DIR] [OUT_C] [EXT_DIR]
       (defaults: /work/shared/tr181, datamodel/dm_schema_tr181.c and datamodel/tr181-ext next to
       this script)

What the CWMP view holds comes from scripts/cwmp-view.txt (see that file and docs/cwmp.md).

EXT_DIR extends the reference tables (datamodel/tr181-ext/README.md): parameters.tsv and
commands-events.tsv (standard objects the shared tables leave out, written by
scripts/tr181_rows.py from the BBF XML) and vendor.tsv (vendor extensions, by hand), each with
the same columns. Their rows follow the shared ones; a path the shared tables already have is an
error.
"""
import os
import re
import sys

BASE_TYPES = {
    "string": "DM_T_STRING", "int": "DM_T_INT", "unsignedInt": "DM_T_UINT",
    "long": "DM_T_LONG", "unsignedLong": "DM_T_ULONG", "boolean": "DM_T_BOOL",
    "dateTime": "DM_T_DATETIME", "base64": "DM_T_BASE64", "hexBinary": "DM_T_HEXBINARY",
    "decimal": "DM_T_DECIMAL",
}
SKIP_FLAGS = {"deleted", "obsoleted"}
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
HERE = os.path.dirname(os.path.abspath(__file__))
# CWMP name prefix -> the tree's name: the CWMP view shows Device.LocalAgent. as Device.USPAgent.
CWMP_RENAMES = {"Device.USPAgent.": "Device.LocalAgent."}
UNBOUNDED = 0xFFFF  # list item count without upper bound


class GenError(Exception):
    pass


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:]]


def split_items(text):
    """'a; b; c' -> ['a', 'b', 'c']; '-' -> []"""
    if text in ("-", ""):
        return []
    return [p.strip() for p in text.split(";") if p.strip()]


def parse_flags(text):
    flags = {}
    for item in split_items(text):
        key, _, val = item.partition("=")
        flags[key] = val
    return flags


def parse_type(text):
    """'list of string(IPv4Address)' -> (base C enum, is_list)"""
    if text in ("-", "object"):
        return "DM_T_NONE", False
    m = re.fullmatch(r"(list of )?(\w+)(?:\((\w+)\))?", text)
    if not m or m.group(2) not in BASE_TYPES:
        raise GenError("unknown type %r" % text)
    return BASE_TYPES[m.group(2)], bool(m.group(1))


def parse_bounds(text, lo_default, hi_default):
    """'1..65535' / '..32' / '1..' / '-1..15,16..31' -> (lo, hi). The table holds one span, so a
    union with a gap (WEPKey's size=5..5,13..13) becomes its hull, with a warning."""
    spans = []
    for part in text.split(","):
        lo, _, hi = part.partition("..")
        spans.append((int(lo) if lo else lo_default, int(hi) if hi else hi_default))
    spans.sort()
    lo, hi = spans[0]
    for a, b in spans[1:]:
        if a > hi + 1:
            print("gen_schema: warning: %r has a gap, using %d..%d" % (text, lo, max(hi, b)),
                  file=sys.stderr)
        hi = max(hi, b)
    return lo, hi


def strip_note(value):
    """'Error(readOnly,optional)' -> ('Error', ['readOnly', 'optional'])"""
    m = re.fullmatch(r"(.*?)\(([\w,]+)\)", value)
    return (m.group(1), m.group(2).split(",")) if m else (value, [])


def unquote(value):
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def tr106_pattern_to_ere(pat):
    """TR-106 patterns are XML Schema regexes; translate the escapes POSIX ERE lacks."""
    out = pat.replace(r"\d", "[0-9]").replace(r"\w", "[A-Za-z0-9_]").replace(r"\s", "[ \t\r\n]")
    if re.search(r"\\[a-zA-Z]", out):
        raise GenError("pattern escape not translated: %r" % pat)
    return out


def parse_constraints(text, is_list):
    """Returns a dict of the facets the C table holds."""
    c = {"flags": set(), "min": 0, "max": 0, "list": None, "enums": None, "pattern": None,
         "units": None, "unique": None, "ref": None, "default": None}
    size = type_size = rng = None
    list_size = list_items = None
    defaults = {}
    for item in split_items(text):
        key, _, val = item.partition("=")
        if key == "size":
            size = val
        elif key == "type:size":
            type_size = val
        elif key in ("range", "type:range"):
            rng = val
        elif key == "listSize":
            list_size = val
        elif key == "listItems":
            list_items = val
        elif key == "enum":
            kept = []
            for v in val.split("|"):
                name, notes = strip_note(v)
                if not SKIP_FLAGS.intersection(notes):
                    kept.append(name)
            c["enums"] = "|".join(kept)
        elif key == "pattern":
            c["pattern"] = tr106_pattern_to_ere(val)
        elif key == "units":
            c["units"] = val
        elif key == "uniqueKey":
            c["unique"] = val
        elif key == "pathRef":
            m = re.fullmatch(r"(strong|weak)(?::(.*?))?(?: \(targetType=\w+\))?", val)
            if not m:
                raise GenError("pathRef %r" % val)
            c["flags"].add("DM_F_STRONG_REF" if m.group(1) == "strong" else "DM_F_WEAK_REF")
            c["ref"] = m.group(2)
        elif key.startswith("default["):
            defaults[key[8:-1]] = unquote(val)
        elif key in ("enumRef", "entries", "numEntriesParameter", "enableParameter"):
            pass  # not held by the static table (enumRef is checked against live values)
        else:
            raise GenError("unknown constraint %r" % key)
    for kind in ("object", "parameter", "factory", "implementation"):
        if kind in defaults:
            c["default"] = defaults[kind]
            break
    size = size or type_size
    if rng is not None:
        c["flags"].add("DM_F_HAS_RANGE")
        c["min"], c["max"] = parse_bounds(rng, INT64_MIN, INT64_MAX)
    elif size is not None:
        c["flags"].add("DM_F_HAS_SIZE")
        c["min"], c["max"] = parse_bounds(size, 0, -1)
    if list_size is not None or list_items is not None:
        if not is_list:
            raise GenError("list facet on a scalar")
        smin, smax = parse_bounds(list_size, 0, -1) if list_size else (0, -1)
        imin, imax = parse_bounds(list_items, 0, UNBOUNDED) if list_items else (0, UNBOUNDED)
        c["list"] = (smin, smax, imin, imax)
    return c


def parent_path(path):
    """Template path of the enclosing object ('Device.' has none)."""
    body = path[:-1] if path.endswith(".") else path
    if body.endswith(".{i}"):
        body = body[:-4]
    cut = body.rfind(".")
    return None if cut < 0 else body[:cut + 1]


def node_name(path, kind):
    if kind != "object":
        return path.rsplit(".", 1)[1]
    body = path[:-1]
    if body.endswith(".{i}"):
        body = body[:-4]
    return body.rsplit(".", 1)[-1]


class Node:
    def __init__(self, path, kind):
        self.path, self.kind = path, kind
        self.name = node_name(path, kind)
        self.ctype, self.flags = "DM_T_NONE", set()
        self.c = parse_constraints("-", False)
        self.id = None
        self.parent = None
        self.children = []
        self.args = []
        self.synthesized = False
        self.twin = None

    def children_params(self):
        return [k for k in self.children if k.kind == "parameter"]


def build_nodes(rows):
    """Nodes of parameters.tsv in file order, without deleted/obsoleted rows (and their
    descendants). Also returns the highest minor version named by a since= flag."""
    nodes, by_path, skipped = [], {}, set()
    max_minor = 0
    for r in rows:
        path, kind = r["path"], r["kind"]
        flags = parse_flags(r["flags"])
        since = flags.get("since", "")
        if since:
            max_minor = max(max_minor, int(since.split(".")[1]))
        par = parent_path(path)
        if SKIP_FLAGS.intersection(flags) or par in skipped:
            skipped.add(path)
            continue
        n = Node(path, kind)
        n.ctype, is_list = parse_type(r["type"])
        n.c = parse_constraints(r["constraints"], is_list)
        f = n.flags
        f.update(n.c["flags"])
        if is_list:
            f.add("DM_F_LIST")
        if r["cwmp"] == "yes":
            f.add("DM_F_CWMP")
        if r["usp"] == "yes":
            f.add("DM_F_USP")
        if path.endswith(".{i}."):
            f.add("DM_F_MULTI")
        if r["access"] in ("readWrite", "writeOnceReadOnly"):
            if kind == "object" and "DM_F_MULTI" not in f:
                raise GenError("writable single object %s" % path)
            f.add("DM_F_WRITABLE")
        if r["access"] == "writeOnceReadOnly":
            f.add("DM_F_WRITE_ONCE")
        notify = flags.get("activeNotify")
        f.update({"forceEnabled": {"DM_F_ACTIVE_FORCED"}, "canDeny": {"DM_F_ACTIVE_CANDENY"},
                  "forceDefaultEnabled": {"DM_F_ACTIVE_DEFAULT"}, None: set()}[notify])
        for key, flag in (("forcedInform", "DM_F_FORCED_INFORM"), ("hidden", "DM_F_HIDDEN"),
                          ("secured", "DM_F_SECURED"), ("command", "DM_F_COMMAND_PARAM"),
                          ("deprecated", "DM_F_DEPRECATED"), ("async", "DM_F_ASYNC")):
            if key in flags:
                f.add(flag)
        n.parent_path = par
        n.num_entries = None
        for item in split_items(r["constraints"]):
            key, _, val = item.partition("=")
            if key == "numEntriesParameter":
                n.num_entries = val
        by_path[path] = n
        nodes.append(n)
    return nodes, by_path, max_minor


def build_args(crows, by_path):
    """Attaches the argument rows of commands-events.tsv to their command/event, inputs first."""
    for r in crows:
        if r["direction"] == "-":
            continue
        owner = by_path.get(r["path"])
        if owner is None:
            continue  # the command or event itself was skipped (deleted)
        ctype, is_list = parse_type(r["type"])
        c = parse_constraints(r["constraints"], is_list)
        flags = set(c["flags"]).intersection({"DM_F_HAS_RANGE", "DM_F_HAS_SIZE"})
        if is_list:
            flags.add("DM_F_LIST")
        if "secured" in parse_flags(r["flags"]):
            flags.add("DM_F_SECURED")
        owner.args.append({
            "dir": {"input": "DM_ARG_IN", "output": "DM_ARG_OUT", "event": "DM_ARG_EVENT"}[
                r["direction"]],
            "type": ctype, "mandatory": r["mandatory"] == "yes", "name": r["argument"],
            "c": c, "flags": flags})
    order = {"DM_ARG_IN": 0, "DM_ARG_OUT": 1, "DM_ARG_EVENT": 2}
    for n in by_path.values():
        n.args.sort(key=lambda a: order[a["dir"]])


def cstr(s):
    if s is None:
        return "NULL"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cint(v):
    if v == INT64_MIN:
        return "INT64_MIN"
    if v == INT64_MAX:
        return "INT64_MAX"
    return "%d" % v


def cflags(flags):
    return " | ".join(sorted(flags)) if flags else "0"


def clist(facets, table):
    if facets is None:
        return "NULL"
    table.append(facets)
    return "&dm_gen_lists[%d]" % (len(table) - 1)


def facet_fields(c, lists):
    """Designated-initializer fields for the value facets shared by nodes and arguments."""
    fields = []
    if c["min"] or c["max"]:
        fields += [("min", cint(c["min"])), ("max", cint(c["max"]))]
    if c["enums"] is not None:
        fields.append(("enums", cstr(c["enums"])))
    if c["pattern"] is not None:
        fields.append(("pattern", cstr(c["pattern"])))
    if c["list"] is not None:
        fields.append(("list", clist(c["list"], lists)))
    return fields


def check_views(nodes):
    """Commands and events are USP-only; nothing is in a view its parent is not in."""
    for n in nodes:
        if n.kind in ("command", "event") and "DM_F_CWMP" in n.flags:
            raise GenError("%s in the CWMP view" % n.path)
        if n.parent is not None:
            extra = n.flags.intersection({"DM_F_CWMP", "DM_F_USP"}) - n.parent.flags
            if extra:
                raise GenError("%s is in a view its parent is not: %s" % (n.path, extra))


def add_intermediates(nodes, by_path):
    """Inserts missing enclosing objects (read-only single objects, before their first
    descendant) and gives each the union of its descendants' views."""
    out = []
    for n in nodes:
        chain, par = [], n.parent_path
        while par is not None and par not in by_path:
            if par.endswith(".{i}."):
                raise GenError("missing table %s" % par)
            syn = Node(par, "object")
            syn.synthesized = True
            syn.parent_path = parent_path(par)
            by_path[par] = syn
            chain.append(syn)
            par = syn.parent_path
        out.extend(reversed(chain))
        out.append(n)
    for n in reversed(out):  # children come after parents: walk back to propagate views up
        if n.parent_path is None:
            continue
        p = by_path[n.parent_path]
        if p.synthesized:
            p.flags.update(n.flags.intersection({"DM_F_CWMP", "DM_F_USP"}))
    return out


def add_entry_counts(nodes, by_path):
    """Inserts the <Table>NumberOfEntries parameter a table's numEntriesParameter names when the
    reference tables leave it out (read-only unsignedInt in the table's views, TR-181 convention),
    just before the table itself."""
    out = []
    for n in nodes:
        count = getattr(n, "num_entries", None)
        if n.kind == "object" and count and count not in by_path:
            c = Node(count, "parameter")
            c.ctype = "DM_T_UINT"
            c.flags = n.flags.intersection({"DM_F_CWMP", "DM_F_USP"})
            c.parent_path = parent_path(count)
            if c.parent_path != n.parent_path:
                raise GenError("%s is not beside %s" % (count, n.path))
            c.synthesized = True
            by_path[count] = c
            out.append(c)
        out.append(n)
    return out


def read_ext(ext_dir, name, rows, key):
    """Appends the rows of ext_dir/name (when present), refusing a path rows already have."""
    path = os.path.join(ext_dir, name) if ext_dir else None
    if not path or not os.path.exists(path):
        return rows
    seen = {key(r) for r in rows}
    for r in read_tsv(path):
        if key(r) in seen:
            raise GenError("%s: %s is already in the reference tables" % (name, key(r)))
        seen.add(key(r))
        rows.append(r)
    return rows


def cwmp_tree_path(path):
    """The tree's path of a CWMP name (Device.USPAgent.X -> Device.LocalAgent.X)."""
    for cwmp, tree in CWMP_RENAMES.items():
        if path.startswith(cwmp):
            return tree + path[len(cwmp):]
    return path


def move_cwmp_only(by_path, path):
    """A CWMP-only parameter under a renamed prefix (Device.USPAgent.Controller.{i}.
    SendOnBoardRequest, which the USP model has as a command) becomes a parameter of the tree's
    object (Device.LocalAgent.Controller.{i}.), in the CWMP view only. Returns it, or None."""
    node = by_path.get(path)
    if node is None or node.kind != "parameter":
        return None
    node.path, node.parent_path = cwmp_tree_path(path), cwmp_tree_path(node.parent_path)
    if node.parent_path not in by_path:
        raise GenError("no node %s for %s" % (node.parent_path, path))
    node.flags.discard("DM_F_USP")
    by_path[node.path] = node
    return node


def apply_cwmp_view(nodes, by_path, std, view_file):
    """Sets the CWMP view from view_file: only the listed parameters and tables (and the objects
    above them) carry DM_F_CWMP, and DM_F_CWMP_WRITABLE where the line says rw. std maps a path to
    its (cwmp?, access) in the reference tables: a listed path must be in the standard's CWMP
    model, and rw must be allowed there. The nodes of CWMP_RENAMES prefixes are dropped (the
    tree's object serves them), and so are nodes left in no view. Returns the nodes kept."""
    listed = {}
    with open(view_file, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            where = "%s:%d" % (os.path.basename(view_file), lineno)
            if len(parts) not in (2, 3) or parts[1] not in ("ro", "rw") or (
                    len(parts) == 3 and not parts[2].startswith("twin=")):
                raise GenError("%s: expected '<path> ro|rw [twin=<path>]'" % where)
            path, access = parts[0], parts[1]
            cwmp, std_access = std.get(path, (False, None))
            if not cwmp:
                raise GenError("%s: %s is not in TR-181's CWMP model" % (where, path))
            if access == "rw" and std_access not in ("readWrite", "writeOnceReadOnly"):
                raise GenError("%s: %s is %s in TR-181" % (where, path, std_access))
            node = by_path.get(cwmp_tree_path(path))
            if node is None and path != cwmp_tree_path(path):
                node = move_cwmp_only(by_path, path)
            if node is None:
                raise GenError("%s: no node %s for %s" % (where, cwmp_tree_path(path), path))
            if node.kind == "object" and "DM_F_MULTI" not in node.flags:
                raise GenError("%s: list tables and parameters, not %s" % (where, path))
            if node.path in listed:
                raise GenError("%s: %s listed twice" % (where, path))
            twin = parts[2][5:] if len(parts) == 3 else None
            if twin is not None and (twin not in by_path or by_path[twin].kind != "parameter"
                                     or by_path[twin].ctype != node.ctype):
                raise GenError("%s: twin %s is not a parameter of the same type" % (where, twin))
            listed[node.path] = (access, twin)
    kept = [n for n in nodes if not any(n.path.startswith(p) for p in CWMP_RENAMES)]
    for n in kept:
        n.flags.discard("DM_F_CWMP")
        n.twin = None
    for n in kept:
        if n.path in listed:
            access, twin = listed[n.path]
            n.flags.add("DM_F_CWMP")
            if access == "rw":
                n.flags.add("DM_F_CWMP_WRITABLE")
            if twin:
                n.twin = by_path[twin]
                by_path[twin].twin = n
    by_kept = {n.path: n for n in kept}
    for n in reversed(kept):  # children come after parents: the view climbs to the root
        if "DM_F_CWMP" in n.flags and n.parent_path is not None:
            by_kept[n.parent_path].flags.add("DM_F_CWMP")
    # what neither view shows (CWMP-only parameters left out above) is not in the schema at all
    return [n for n in kept if n.flags.intersection({"DM_F_CWMP", "DM_F_USP"})]


def load(tsv_dir, ext_dir=None):
    """Reads the tables (and the extension's); returns the nodes (ids assigned, parents first) and
    the version."""
    rows = read_tsv(os.path.join(tsv_dir, "parameters.tsv"))
    crows = read_tsv(os.path.join(tsv_dir, "commands-events.tsv"))
    for name in ("parameters.tsv", "vendor.tsv"):
        rows = read_ext(ext_dir, name, rows, lambda r: r["path"])
    crows = read_ext(ext_dir, "commands-events.tsv", crows,
                     lambda r: (r["path"], r["direction"], r["argument"]))
    std = {r["path"]: (r["cwmp"] == "yes", r["access"]) for r in rows}
    nodes, by_path, max_minor = build_nodes(rows)
    nodes = add_intermediates(nodes, by_path)
    nodes = add_entry_counts(nodes, by_path)
    for n in nodes:  # objects and entry counts the tables leave out: in the views found above
        std.setdefault(n.path, ("DM_F_CWMP" in n.flags, "readOnly"))
    nodes = apply_cwmp_view(nodes, by_path, std, os.path.join(HERE, "cwmp-view.txt"))
    by_path = {n.path: n for n in nodes}
    if nodes[0].path != "Device.":
        raise GenError("node 0 is not Device.")
    for i, n in enumerate(nodes):
        n.id = i
        if n.parent_path is not None:
            n.parent = by_path[n.parent_path]
            if n.parent.id is None or n.parent.id >= i:
                raise GenError("%s comes before its parent" % n.path)
            n.parent.children.append(n)
    if len(nodes) >= 0xFFFF:
        raise GenError("too many nodes for dm_id")
    check_views(nodes)
    build_args(crows, by_path)
    root_version = by_path["Device.RootDataModelVersion"].c["pattern"]
    version = "2.%d" % max_minor
    if not re.fullmatch(root_version.replace("[0-9]", r"\d"), version):
        raise GenError("version %s does not match RootDataModelVersion" % version)
    return nodes, version


def build_index(nodes):
    """Per node: first child, next sibling, its children sorted by name (for binary search),
    parameter count/slot and argument range. Returns (sorted_children, index rows)."""
    sorted_children, index = [], []
    arg_off = 0
    for n in nodes:
        kids = sorted(n.children, key=lambda k: k.name.encode())
        names = [k.name for k in kids]
        if len(set(names)) != len(names):
            raise GenError("duplicate child names under %s" % n.path)
        off = len(sorted_children)
        sorted_children.extend(k.id for k in kids)
        sib = None
        if n.parent is not None:
            s = n.parent.children
            pos = s.index(n)
            sib = s[pos + 1].id if pos + 1 < len(s) else None
        slot = n.parent.children_params().index(n) if n.kind == "parameter" else -1
        index.append((n.children[0].id if n.children else None, sib, off, len(kids),
                      len(n.children_params()), slot, arg_off, len(n.args)))
        arg_off += len(n.args)
    return sorted_children, index


def emit(nodes, version, out_path, cmdline):
    """Writes the C file; returns the number of arguments written."""
    o = []
    w = o.append
    w("/* dm_schema_tr181.c — GENERATED by `%s`; do not edit.\n" % cmdline)
    w(" * The TR-181 Device:%s schema table, its command/event arguments and lookup indexes. */\n"
      % version)
    w('#include "datamodel/dm_schema_gen.h"\n\n')
    w('const char dm_gen_version[] = "Device:%s";\n\n' % version)

    lists = []
    w("const dm_node dm_gen_nodes[] = {\n")
    for n in nodes:
        c = n.c
        fields = [("path", cstr(n.path)), ("name", cstr(n.name)),
                  ("parent", "DM_ID_NONE" if n.parent is None else str(n.parent.id)),
                  ("kind", {"object": "DM_OBJECT", "parameter": "DM_PARAM",
                            "command": "DM_COMMAND", "event": "DM_EVENT"}[n.kind]),
                  ("type", n.ctype), ("flags", cflags(n.flags))]
        fields += facet_fields(c, lists)
        if n.twin is not None:
            fields.append(("twin", str(n.twin.id)))
        fields += [(k, cstr(c[v])) for k, v in (("unique_keys", "unique"),
                                                ("ref_target", "ref"), ("defval", "default"),
                                                ("units", "units")) if c[v] is not None]
        w("\t[%d] = { %s },\n" % (n.id, ", ".join(".%s = %s" % f for f in fields)))
    w("};\n\n")

    args = [dict(a, owner=n.id) for n in nodes for a in n.args]
    w("const dm_arg dm_gen_args[] = {\n")
    for a in args:
        fields = [("owner", str(a["owner"])), ("dir", a["dir"]), ("type", a["type"]),
                  ("mandatory", "true" if a["mandatory"] else "false"),
                  ("name", cstr(a["name"])), ("flags", cflags(a["flags"]))]
        fields += [f for f in facet_fields(a["c"], lists) if f[0] != "pattern"]
        w("\t{ %s },\n" % ", ".join(".%s = %s" % f for f in fields))
    if not args:
        w("\t{ 0 }, /* C forbids an empty initializer */\n")
    w("};\n\n")

    w("const dm_list_facets dm_gen_lists[] = {\n")
    for l in lists:
        w("\t{ %d, %d, %d, %d },\n" % l)
    if not lists:
        w("\t{ 0 }, /* C forbids an empty initializer */\n")
    w("};\n\n")

    sorted_children, index = build_index(nodes)
    w("const dm_id dm_gen_sorted_children[] = {\n")
    for i in range(0, len(sorted_children), 16):
        w("\t" + ", ".join(str(x) for x in sorted_children[i:i + 16]) + ",\n")
    w("};\n\n")

    none = "DM_ID_NONE"
    w("const dm_schema_index dm_gen_index[] = {\n")
    for i, (first, sib, off, cnt, pcount, slot, aoff, acnt) in enumerate(index):
        w("\t/* %d */ { %s, %s, %d, %d, %d, %d, %d, %d },\n" % (
            i, none if first is None else first, none if sib is None else sib, off, cnt, pcount,
            slot, aoff, acnt))
    w("};\n\n")
    w("const size_t dm_gen_node_count = %d;\n" % len(nodes))
    w("const size_t dm_gen_arg_count = %d;\n" % len(args))

    with open(out_path, "w", encoding="utf-8") as f:
        f.write("".join(o))
    return len(args)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    tsv_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/tr181"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.normpath(
        os.path.join(here, "..", "datamodel", "dm_schema_tr181.c"))
    ext = sys.argv[3] if len(sys.argv) > 3 else os.path.normpath(
        os.path.join(here, "..", "datamodel", "tr181-ext"))
    try:
        nodes, version = load(tsv_dir, ext)
        nargs = emit(nodes, version, out, "scripts/gen_schema.py %s %s %s" % (
            tsv_dir, os.path.relpath(out, os.path.join(here, "..")),
            os.path.relpath(ext, os.path.join(here, ".."))))
    except GenError as e:
        sys.exit("gen_schema: " + str(e))
    print("gen_schema: Device:%s, %d nodes, %d arguments -> %s" % (version, len(nodes), nargs,
                                                                  out))


if __name__ == "__main__":
    main()
