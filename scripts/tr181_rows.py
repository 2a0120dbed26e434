#!/usr/bin/env python3
"""tr181_rows.py — writes the TR-181 reference rows (the columns of /work/shared/tr181:
parameters.tsv, commands-events.tsv) of chosen objects, read from the Broadband Forum's full
data-model XML, so gen_schema.py can add objects the shared tables leave out.

Usage: scripts/tr181_rows.py CWMP_FULL_XML USP_FULL_XML USP_DIFFS_HTML OBJECTS_TXT OUT_DIR
  CWMP_FULL_XML  tr-181-2-17-0-cwmp-full.xml (BroadbandForum/cwmp-data-models)
  USP_FULL_XML   tr-181-2-16-0-usp-full.xml (BroadbandForum/usp-data-models; the newest usp-full)
  USP_DIFFS_HTML tr-181-2-17-0-usp-diffs.html (same repository): a 2.17 parameter of an object the
                 USP model has, named in this report, is in the USP view too (flag
                 usp-2.17-via-diffs), as /work/shared/tr181 does
  OBJECTS_TXT    one object path per line ("Device.PPP.Interface.{i}."); '#' starts a comment
  OUT_DIR        gets parameters.tsv and commands-events.tsv (rows of those objects only)

Each object brings its parameters, commands and events (not its sub-objects: list those too).
The Alias of an object only the USP XML has is writeOnceReadOnly, as TR-181 2.17's USP model makes
every Alias (TR-106 _AliasUSP; the 2.16 USP XML still says readWrite).
Names, types, access and constraints are facts of the standard; no description text is copied.
The XML is not part of the repository: fetch it from the BBF repositories named above.
"""
import sys
import xml.etree.ElementTree as ET

BASE = ("boolean", "string", "unsignedInt", "int", "unsignedLong", "long", "dateTime",
        "base64", "hexBinary", "decimal")
STATUS = ("deprecated", "obsoleted", "deleted")


def local(tag):
    return tag.rsplit("}", 1)[-1]


def kids(el, name):
    return [c for c in el if local(c.tag) == name]


def kid(el, name):
    found = kids(el, name)
    return found[0] if found else None


def bounds(lo, hi):
    return "%s..%s" % (lo or "", hi or "")


class Model:
    """The objects, parameters, commands and data types of one full XML."""

    def __init__(self, path):
        root = ET.parse(path).getroot()
        self.types = {d.get("name"): d for d in root.iter() if local(d.tag) == "dataType"
                      and d.get("name")}
        model = next(m for m in root.iter() if local(m.tag) == "model")
        self.objects = {o.get("name"): o for o in kids(model, "object")}

    def type_facet(self, name, facet):
        """The first <facet> of named type name or its bases ("size", "range")."""
        seen = set()
        while name and name not in seen:
            seen.add(name)
            d = self.types.get(name)
            if d is None:
                return None
            f = kids(d, facet)
            if f:
                return f
            # a type's own syntax may wrap its facets in its base element (<string>...)
            for base in BASE:
                inner = kid(d, base)
                if inner is not None and kids(inner, facet):
                    return kids(inner, facet)
            name = d.get("base")
        return None

    def type_base(self, name):
        seen = set()
        while name and name not in seen:
            seen.add(name)
            d = self.types.get(name)
            if d is None:
                return None
            for base in BASE:
                if kid(d, base) is not None:
                    return base
            name = d.get("base")
        return None


def absolute(owner_path, target):
    """A target of TR-106 relative form as an absolute path: "##.IP.Interface." (each '#' is one
    object up from the owner's) and "Role." (inside the owner's object, as
    ControllerTrust.UntrustedRole names ControllerTrust.Role.); others as they are."""
    ups = len(target) - len(target.lstrip("#"))
    if not ups:
        if not target or target.startswith(("Device.", ".")):
            return target
        return owner_path + target
    base = owner_path
    for _ in range(ups):
        body = base[:-1]
        if body.endswith(".{i}"):
            body = body[:-4]
        base = body[:body.rfind(".") + 1]
    return base + target[ups:].lstrip(".")


def sizes(els):
    return ",".join(bounds(s.get("minLength"), s.get("maxLength")) for s in els)


def ranges(els):
    return ",".join(bounds(r.get("minInclusive"), r.get("maxInclusive")) for r in els)


def syntax_of(model, owner_path, syntax):
    """(type text, constraints list) of a <syntax> element."""
    cons = []
    is_list = kid(syntax, "list")
    prefix = "list of " if is_list is not None else ""
    if is_list is not None:
        if kids(is_list, "size"):
            cons.append("listSize=" + sizes(kids(is_list, "size")))
        if is_list.get("minItems") or is_list.get("maxItems"):
            cons.append("listItems=" + bounds(is_list.get("minItems"), is_list.get("maxItems")))
    dtype = kid(syntax, "dataType")
    if dtype is not None:
        ref = dtype.get("ref")
        base = model.type_base(ref) or "string"
        text = "%s%s(%s)" % (prefix, base, ref)
        body = dtype
        tsize = model.type_facet(ref, "size")
        trange = model.type_facet(ref, "range")
    else:
        body = next((c for c in syntax if local(c.tag) in BASE), None)
        text = prefix + (local(body.tag) if body is not None else "string")
        tsize = trange = None
    if body is not None:
        if kids(body, "size"):
            cons.append("size=" + sizes(kids(body, "size")))
        if kids(body, "range"):
            cons.append("range=" + ranges(kids(body, "range")))
        enums = []
        for e in kids(body, "enumeration"):
            notes = [n for n in ("readOnly", "optional") if e.get(n) == "true"]
            if e.get("status") in STATUS:
                notes.append(e.get("status"))
            enums.append(e.get("value") + ("(%s)" % ",".join(notes) if notes else ""))
        if enums:
            cons.append("enum=" + "|".join(enums))
        pats = [p.get("value") for p in kids(body, "pattern") if p.get("value")]
        if pats and dtype is None:
            cons.append("pattern=" + "|".join(pats))
        ref = kid(body, "pathRef")
        if ref is not None:
            target = absolute(owner_path, ref.get("targetParent") or "")
            tt = ref.get("targetType")
            cons.append("pathRef=%s%s%s" % (ref.get("refType"), ":" + target if target else "",
                                           " (targetType=%s)" % tt if tt else ""))
        eref = kid(body, "enumerationRef")
        if eref is not None:
            target = eref.get("targetParam")
            cons.append("enumRef=" + (target if target.startswith("Device.")
                                       else owner_path + target))
        if tsize and not kids(body, "size"):
            cons.append("type:size=" + sizes(tsize))
        if trange and not kids(body, "range"):
            cons.append("type:range=" + ranges(trange))
        units = kid(body, "units")
        if units is not None:
            cons.append("units=" + units.get("value"))
    for d in kids(syntax, "default"):
        v = d.get("value")
        cons.append("default[%s]=%s" % (d.get("type"), v if v != "" else '""'))
    return text, cons


def flags_of(el, since, extra=()):
    f = list(extra)
    if el.get("forcedInform") == "true":
        f.append("forcedInform")
    an = el.get("activeNotify")
    if an and an != "normal":
        f.append("activeNotify=" + an)
    syntax = kid(el, "syntax")
    if syntax is not None:
        if syntax.get("hidden") == "true":
            f.append("hidden")
        if syntax.get("secured") == "true":
            f.append("secured")
        if syntax.get("command") == "true":
            f.append("command")
    if el.get("status") in STATUS:
        f.append(el.get("status"))
    f.append("since=" + (el.get("version") or since))
    return "; ".join(f)


def argument_rows(usp, path, cpath, kind, mode, direction, holder, prefix, cmd_out):
    """The arguments of a command or event, nested objects ("TimeWindow.{i}.") and theirs."""
    for a in holder:
        tag = local(a.tag)
        since = "since=" + a.get("version") if a.get("version") else "-"
        if tag == "parameter":
            text, ac = syntax_of(usp, path, kid(a, "syntax"))
            cmd_out.append([cpath, kind, mode, direction, prefix + a.get("name"), text,
                            "yes" if a.get("mandatory") == "true" else "no",
                            "; ".join(ac) or "-", since])
        elif tag == "object":
            name = prefix + a.get("name")
            entries = "entries=" + bounds(a.get("minEntries"), a.get("maxEntries")) \
                if name.endswith(".{i}.") else "-"
            cmd_out.append([cpath, kind, mode, direction, name, "object",
                            "yes" if a.get("mandatory") == "true" else "no", entries, since])
            argument_rows(usp, path, cpath, kind, mode, direction, a, name, cmd_out)


def in_usp_217(p, uo, diffs):
    """A 2.17 parameter the 2.16 USP XML cannot have, named in the 2.17 USP diff report."""
    return uo is not None and p.get("version") == "2.17" and \
        (">%s<" % p.get("name")) in diffs


def object_rows(cwmp, usp, diffs, path, out, cmd_out):
    co, uo = cwmp.objects.get(path), usp.objects.get(path)
    obj = co if co is not None else uo
    if obj is None:
        raise SystemExit("tr181_rows: no object %s in either XML" % path)
    since = obj.get("version") or "2.0"
    cons = []
    if path.endswith(".{i}."):
        cons.append("entries=" + bounds(obj.get("minEntries"), obj.get("maxEntries")))
        keys = ["+".join(p.get("ref") for p in kids(k, "parameter"))
                for k in kids(obj, "uniqueKey")]
        if keys:
            cons.append("uniqueKey=" + "|".join(keys))
        parent = path[:path[:-5].rfind(".") + 1]
        if obj.get("numEntriesParameter"):
            cons.append("numEntriesParameter=" + parent + obj.get("numEntriesParameter"))
        if obj.get("enableParameter"):
            cons.append("enableParameter=" + obj.get("enableParameter"))
    out.append([path, "object", "-", obj.get("access"), "; ".join(cons) or "-",
                "yes" if co is not None else "no", "yes" if uo is not None else "no",
                flags_of(obj, since)])
    names = []
    for src in (co, uo):
        for p in kids(src, "parameter") if src is not None else []:
            if p.get("name") not in names:
                names.append(p.get("name"))
    for name in names:
        cp = next((p for p in kids(co, "parameter") if p.get("name") == name), None) \
            if co is not None else None
        up = next((p for p in kids(uo, "parameter") if p.get("name") == name), None) \
            if uo is not None else None
        p = cp if cp is not None else up
        via = up is None and in_usp_217(p, uo, diffs)
        text, pc = syntax_of(cwmp if cp is not None else usp, path, kid(p, "syntax"))
        access = p.get("access")
        if cp is None and text == "string(Alias)" and access == "readWrite":
            access = "writeOnceReadOnly"  # TR-181 2.17 USP: Alias is TR-106's _AliasUSP
        out.append([path + name, "parameter", text, access, "; ".join(pc) or "-",
                    "yes" if cp is not None else "no", "yes" if up is not None or via else "no",
                    flags_of(p, since) + ("; usp-2.17-via-diffs" if via else "")])
    for kind in ("command", "event"):
        for c in kids(uo, kind) if uo is not None else []:
            mode = "async" if c.get("async") == "true" else "sync"
            cpath = path + c.get("name")
            out.append([cpath, kind, "-", "-", "-", "no", "yes",
                        flags_of(c, since, [mode] if kind == "command" else [])])
            cmd_out.append([cpath, kind, mode if kind == "command" else "-", "-", "-", "-", "-",
                            "-", "since=" + (c.get("version") or since)])
            for direction in ("input", "output") if kind == "command" else ("event",):
                holder = kid(c, direction) if kind == "command" else c
                if holder is None:
                    continue
                argument_rows(usp, path, cpath, kind, mode if kind == "command" else "-",
                              direction, holder, "", cmd_out)


def main():
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    cwmp, usp = Model(sys.argv[1]), Model(sys.argv[2])
    with open(sys.argv[3], encoding="utf-8") as f:
        diffs = f.read()
    with open(sys.argv[4], encoding="utf-8") as f:
        wanted = [l.split("#")[0].strip() for l in f]
    rows, cmds = [], []
    for path in (w for w in wanted if w):
        object_rows(cwmp, usp, diffs, path, rows, cmds)
    head = ["path", "kind", "type", "access", "constraints", "cwmp", "usp", "flags"]
    with open(sys.argv[5] + "/parameters.tsv", "w", encoding="utf-8") as f:
        f.write("\t".join(head) + "\n")
        f.writelines("\t".join(r) + "\n" for r in rows)
    chead = ["path", "kind", "mode", "direction", "argument", "type", "mandatory", "constraints",
             "flags"]
    with open(sys.argv[5] + "/commands-events.tsv", "w", encoding="utf-8") as f:
        f.write("\t".join(chead) + "\n")
        f.writelines("\t".join(r) + "\n" for r in cmds)


if __name__ == "__main__":
    main()
