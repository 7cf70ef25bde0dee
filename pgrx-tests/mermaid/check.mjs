// Parses Mermaid text from stdin with Mermaid's own parser (in jsdom). Prints what the
// parser understood of an erDiagram ({entities: [labels], relationships: n}) and exits 0,
// or prints the parse error and exits 1.
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
let text = "";
for await (const chunk of process.stdin) text += chunk;
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const entities = diagram.db.getEntities();
  const list = entities instanceof Map ? [...entities.values()] : Object.values(entities);
  console.log(JSON.stringify({
    entities: list.map((e) => e.alias || e.label || ""),
    attributes: list.reduce((n, e) => n + (e.attributes ? e.attributes.length : 0), 0),
    relationships: diagram.db.getRelationships().length,
  }));
} catch (e) {
  console.error(String((e && e.message) || e));
  process.exit(1);
}
