// Reads a GEXF file the way Gephi Lite does (graphology + graphology-gexf) and prints a JSON summary.
//
//   node read_gexf.mjs FILE.gexf [NODE_ID ...]
//
// XML problems are fatal: xmldom's DOMParser only reports them to its errorHandler, so every
// level (warning, error, fatalError) throws here. xmldom does not check which characters a
// document may contain, so this script first rejects any character XML 1.0 forbids, written
// as itself or as a character reference (&#7;). Prints
//   {"type", "multi", "order", "size", "nodes": {id: attributes}, "edges": [attributes of the first 5]}
// with the attributes of the nodes named on the command line (all nodes when none is named).
// Exit code 1 and the message on stderr when the file cannot be read or parsed.
import { readFileSync } from "node:fs";
import { DOMParser } from "@xmldom/xmldom";
import Graph from "graphology";
import gexf from "graphology-gexf";

// XML 1.0 "Char": #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const FORBIDDEN_RAW = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function allowedCodePoint(cp) {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function checkCharacters(text) {
  const raw = FORBIDDEN_RAW.exec(text);
  if (raw) {
    const code = raw[0].codePointAt(0).toString(16).padStart(4, "0");
    throw new Error(`XML error: character U+${code} is not allowed (offset ${raw.index})`);
  }
  for (const ref of text.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
    const cp = ref[1][0] === "x" ? parseInt(ref[1].slice(1), 16) : parseInt(ref[1], 10);
    if (!allowedCodePoint(cp)) {
      throw new Error(`XML error: character reference ${ref[0]} is not allowed (offset ${ref.index})`);
    }
  }
}

function fail(level) {
  return (message) => {
    throw new Error(`XML ${level}: ${message}`);
  };
}

const [file, ...wanted] = process.argv.slice(2);
if (!file) {
  console.error("usage: node read_gexf.mjs FILE.gexf [NODE_ID ...]");
  process.exit(2);
}
try {
  const text = readFileSync(file, "utf8");
  checkCharacters(text);
  const parser = new DOMParser({
    errorHandler: { warning: fail("warning"), error: fail("error"), fatalError: fail("fatal error") },
  });
  const doc = parser.parseFromString(text, "application/xml");
  const graph = gexf.parse(Graph, doc);
  const ids = wanted.length ? wanted : graph.nodes();
  const nodes = {};
  for (const id of ids) {
    nodes[id] = graph.hasNode(id) ? graph.getNodeAttributes(id) : null;
  }
  const edges = graph.edges().slice(0, 5).map((e) => ({
    source: graph.source(e),
    target: graph.target(e),
    ...graph.getEdgeAttributes(e),
  }));
  process.stdout.write(
    JSON.stringify({ type: graph.type, multi: graph.multi, order: graph.order, size: graph.size, nodes, edges }) + "\n",
  );
} catch (err) {
  console.error(String(err && err.stack ? err.stack : err));
  process.exit(1);
}
