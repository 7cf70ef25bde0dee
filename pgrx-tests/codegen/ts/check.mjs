// Runs the Zod schemas that lens_codegen emitted (compiled to JS by tsc) against rows read as JSON.
// Usage: node check.mjs <path-to-emitted-schemas.mjs>
// The module must export rowSchemas and insertSchemas: {"<relation key>": z.object(...)}.
// Reads from stdin {"rows": {"<relation key>": [row, ...]}, "inserts": {...}, "badRows": {...}}
// ("badInserts" is also accepted). Every row and insert must parse, the result must be deep-equal to
// the input, every row must have exactly the keys of schema.shape (an insert a subset of them), and
// every bad row must be rejected. Prints {"ok": bool, "checked": n, "errors": [...]}
// and exits 0; the Rust test asserts on the report. (Zod 4 skips a "__proto__" key on purpose,
// so a row with one shows up as an error here: the README says so.)
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const errors = [];
let checked = 0;

function report() {
  console.log(JSON.stringify({ ok: errors.length === 0, checked, errors }));
  process.exit(0);
}

const own = (o, k) => o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k);
const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const showPath = (path) => (path.length === 0 ? "(root)" : path.map((p) => JSON.stringify(p)).join("."));

function formatIssues(issues, prefix = []) {
  const out = [];
  for (const i of issues) {
    const path = [...prefix, ...(i.path || [])];
    let msg = `${showPath(path)}: ${i.message}`;
    if (i.code === "invalid_union" && Array.isArray(i.errors)) {
      const alts = i.errors.map((e) => formatIssues(e, path).join("; ")).join(" | ");
      msg += ` (${alts})`;
    }
    out.push(msg);
  }
  return out;
}

// First difference between a and b as a message, or null when deep-equal. Own keys only.
function diff(a, b, path) {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${showPath(path)}: array vs non-array`;
    if (a.length !== b.length) return `${showPath(path)}: length ${a.length} became ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], [...path, i]);
      if (d) return d;
    }
    return null;
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return `${showPath(path)}: object vs non-object`;
    for (const k of Object.keys(a)) {
      if (!own(b, k)) return `${showPath([...path, k])}: key dropped by parse`;
      const d = diff(a[k], b[k], [...path, k]);
      if (d) return d;
    }
    for (const k of Object.keys(b)) if (!own(a, k)) return `${showPath([...path, k])}: key added by parse`;
    return null;
  }
  return Object.is(a, b) ? null : `${showPath(path)}: ${JSON.stringify(a)} became ${JSON.stringify(b)}`;
}

// Parses value; returns {ok, data, messages}.
function run(schema, value) {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, data: r.data } : { ok: false, messages: formatIssues(r.error.issues) };
}

const modPath = process.argv[2];
if (!modPath) {
  errors.push("usage: node check.mjs <path-to-emitted-schemas.mjs>");
  report();
}

let text = "";
for await (const chunk of process.stdin) text += chunk;
let input;
try {
  input = JSON.parse(text);
} catch (e) {
  errors.push(`stdin is not JSON: ${e.message}`);
  report();
}
if (!isPlainObject(input)) {
  errors.push("stdin must be a JSON object");
  report();
}

let mod;
try {
  mod = await import(pathToFileURL(resolve(modPath)).href);
} catch (e) {
  errors.push(`cannot import ${modPath}: ${(e && e.message) || e}`);
  report();
}

const tables = { rows: "rowSchemas", inserts: "insertSchemas", badRows: "rowSchemas", badInserts: "insertSchemas" };
for (const section of Object.keys(input)) {
  if (!own(tables, section)) {
    errors.push(`unknown section ${JSON.stringify(section)} in stdin`);
    continue;
  }
  const exportName = tables[section];
  const schemas = mod[exportName];
  if (!isPlainObject(schemas)) {
    errors.push(`the module exports no ${exportName} object`);
    continue;
  }
  const rel = input[section];
  if (!isPlainObject(rel)) {
    errors.push(`${section} must be an object of relation key -> array`);
    continue;
  }
  for (const key of Object.keys(rel)) {
    const where = `${section}[${JSON.stringify(key)}]`;
    if (!own(schemas, key)) {
      errors.push(`${where}: no ${exportName}[${JSON.stringify(key)}] in the module (it has ${JSON.stringify(Object.keys(schemas))})`);
      continue;
    }
    const schema = schemas[key];
    if (!schema || typeof schema.safeParse !== "function" || !isPlainObject(schema.shape)) {
      errors.push(`${where}: ${exportName}[${JSON.stringify(key)}] is not a z.object schema`);
      continue;
    }
    const shapeKeys = Object.keys(schema.shape);
    const list = rel[key];
    if (!Array.isArray(list)) {
      errors.push(`${where} must be an array`);
      continue;
    }
    list.forEach((value, i) => {
      checked++;
      const at = `${where}[${i}]`;
      if (section === "badRows" || section === "badInserts") {
        const r = run(schema, value);
        if (r.ok) errors.push(`${at}: accepted, but must be rejected: ${JSON.stringify(value)}`);
        return;
      }
      if (!isPlainObject(value)) {
        errors.push(`${at}: not a JSON object`);
        return;
      }
      const keys = Object.keys(value);
      const extra = keys.filter((k) => !shapeKeys.includes(k));
      const missing = section === "rows" ? shapeKeys.filter((k) => !own(value, k)) : [];
      if (extra.length) errors.push(`${at}: keys not in the schema's shape: ${JSON.stringify(extra)}`);
      if (missing.length) errors.push(`${at}: shape keys missing from the row: ${JSON.stringify(missing)}`);
      const r = run(schema, value);
      if (!r.ok) {
        for (const m of r.messages) errors.push(`${at}: ${m}`);
        return;
      }
      const d = diff(value, r.data, []);
      if (d) errors.push(`${at}: parse changed the value: ${d}`);
    });
  }
}
report();
