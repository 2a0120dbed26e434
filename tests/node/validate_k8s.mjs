// validate_k8s.mjs — checks Kubernetes manifests against the API's JSON schemas as the npm package
// kubernetes-models bundles them (MIT; its compiled validators), and, like `kubectl apply
// --validate=strict`, refuses any field those schemas do not know (read off the package's type
// declarations). No cluster, no kubectl. Usage: node validate_k8s.mjs FILE.yaml...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const modelsDir = dirname(require.resolve("kubernetes-models/package.json"));
let failures = 0;

// ---- strict fields: the interfaces of the package's .d.ts files ----

// A type in a .d.ts: {ref: name} | {array: type} | {object: Map(prop -> type)} | {map: true} |
// {scalar: true}. Enough TypeScript for the package's generated declarations.
function matching(text, i, open, close) {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === open) depth++;
    else if (text[j] === close && --depth === 0) return j;
  }
  throw new Error(`unbalanced ${open}${close}`);
}

function parseType(t) {
  t = t.trim();
  if (t.startsWith("Array<")) return { array: parseType(t.slice(6, matching(t, 5, "<", ">"))) };
  if (t.startsWith("{")) {
    const inner = t.slice(1, matching(t, 0, "{", "}"));
    return /^\s*\[key: string\]/.test(inner) ? { map: true } : { object: parseProps(inner) };
  }
  return /^I\w+$/.test(t) ? { ref: t } : { scalar: true };
}

// The properties of an interface or object-type body: "name"?: TYPE; at nesting depth 0.
function parseProps(body) {
  body = body.replace(/\/\*[\s\S]*?\*\//g, "");
  const props = new Map();
  const re = /"([^"]+)"\??:\s*/g;
  let m;
  while ((m = re.exec(body))) {
    let i = re.lastIndex, depth = 0;
    for (; i < body.length; i++) {
      const c = body[i];
      if (c === "{" || c === "<" || c === "(") depth++;
      else if (c === "}" || c === ">" || c === ")") depth--;
      else if (c === ";" && depth === 0) break;
    }
    props.set(m[1], parseType(body.slice(re.lastIndex, i)));
    re.lastIndex = i + 1;
  }
  return props;
}

const declCache = new Map();
// { imports: Map(typeName -> module spec), interfaces: Map(name -> props) } of one .d.ts file
function declarations(file) {
  if (declCache.has(file)) return declCache.get(file);
  const text = readFileSync(file, "utf8");
  const imports = new Map();
  for (const m of text.matchAll(/import \{([^}]*)\} from "([^"]+)"/g))
    for (const name of m[1].split(",").map((s) => s.trim().split(" as ").pop())) imports.set(name, m[2]);
  const interfaces = new Map();
  for (const m of text.matchAll(/export interface (\w+)[^{]*\{/g)) {
    const open = m.index + m[0].length - 1;
    interfaces.set(m[1], parseProps(text.slice(open + 1, matching(text, open, "{", "}"))));
  }
  // "export type { IFoo as IIoK8s... }": the long name of an interface declared here
  for (const m of text.matchAll(/(\w+) as (\w+)/g))
    if (interfaces.has(m[1]) && !interfaces.has(m[2])) interfaces.set(m[2], interfaces.get(m[1]));
  const d = { imports, interfaces };
  declCache.set(file, d);
  return d;
}

function resolveImport(fromFile, spec) {
  if (spec.startsWith(".")) return resolve(dirname(fromFile), spec.replace(/\.js$/, ".d.ts"));
  const [scope, pkg, ...rest] = spec.split("/");
  const base = dirname(require.resolve(`${scope}/${pkg}/package.json`));
  return join(base, ...rest) + ".d.ts";
}

// The properties of the interface `name` as seen from `file` (declared there or imported).
function interfaceProps(file, name) {
  const d = declarations(file);
  if (d.interfaces.has(name)) return { file, props: d.interfaces.get(name) };
  const spec = d.imports.get(name);
  if (!spec) return null;
  const target = resolveImport(file, spec);
  const td = declarations(target);
  return td.interfaces.has(name) ? { file: target, props: td.interfaces.get(name) } : null;
}

function strictFields(where, value, type, file, errors) {
  if (value === null || typeof value !== "object" || !type || type.scalar || type.map) return;
  if (type.array) {
    if (Array.isArray(value)) value.forEach((v, i) => strictFields(`${where}[${i}]`, v, type.array, file, errors));
    return;
  }
  let props = type.object;
  if (type.ref) {
    const found = interfaceProps(file, type.ref);
    if (!found) return;
    ({ file, props } = found);
  }
  for (const [key, v] of Object.entries(value)) {
    if (!props.has(key)) errors.push(`${where}.${key}: unknown field`);
    else strictFields(`${where}.${key}`, v, props.get(key), file, errors);
  }
}

// ---- one document ----

async function check(file, doc, index) {
  const what = `${file}#${index} ${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
  if (!doc || typeof doc.apiVersion !== "string" || typeof doc.kind !== "string") {
    console.log(`FAIL ${what}: no apiVersion or kind`);
    return false;
  }
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  const modulePath = `kubernetes-models/${group ? `${group}/` : ""}${version}/${doc.kind}`;
  let Model;
  try {
    Model = (await import(modulePath))[doc.kind];
  } catch {
    console.log(`FAIL ${what}: ${doc.apiVersion} ${doc.kind} is not a Kubernetes API type`);
    return false;
  }
  const errors = [];
  try {
    new Model(doc).validate();
  } catch (e) {
    errors.push(e.message);
  }
  const dts = join(modelsDir, group ?? "", version, `${doc.kind}.d.ts`);
  strictFields(doc.kind, doc, { ref: `I${doc.kind}` }, dts, errors);
  if (errors.length) {
    for (const e of errors) console.log(`FAIL ${what}: ${e}`);
    return false;
  }
  console.log(`ok   ${what}`);
  return true;
}

for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  let i = 0;
  for (const d of docs) {
    if (d.errors.length) {
      console.log(`FAIL ${file}: YAML: ${d.errors[0].message}`);
      failures++;
      continue;
    }
    const obj = d.toJS();
    if (obj === null) continue; // an empty document (a trailing ---)
    if (!(await check(file, obj, i++))) failures++;
  }
}
console.log(failures ? `${failures} invalid` : "all valid");
process.exit(failures ? 1 : 0);
