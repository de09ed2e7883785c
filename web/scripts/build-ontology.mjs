// Writes lib/generated/ontology-paths.json: for each of the 527 AudioSet
// classes the model predicts, its ancestors in the AudioSet ontology
// (nearest first), so the page can show "Cough › Respiratory sounds › Human sounds"
// without shipping the 340 KB ontology. The generated file is committed, so a
// build without ../shared keeps working with the last generated copy.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const labelsDir = process.env.SOUNDLENS_LABELS_DIR
  ?? resolve(webDir, '..', '..', 'shared', 'models', 'labels');
const outFile = join(webDir, 'lib', 'generated', 'ontology-paths.json');
// The 527 display names in class-index order, for the class search.
const namesFile = join(webDir, 'lib', 'generated', 'class-names.json');

const ontologyFile = join(labelsDir, 'ontology.json');
const csvFile = join(labelsDir, 'class_labels_indices.csv');
if (!existsSync(ontologyFile) || !existsSync(csvFile)) {
  if (existsSync(outFile)) {
    console.log(`labels not found in ${labelsDir}; keeping ${outFile}`);
    process.exit(0);
  }
  console.error(`labels not found in ${labelsDir} (set SOUNDLENS_LABELS_DIR)`);
  process.exit(1);
}

// One CSV line: index,mid,"display name" (the name may contain commas).
function parseCsvLine(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; }
    else field += c;
  }
  fields.push(field);
  return fields;
}

const classes = readFileSync(csvFile, 'utf8').split(/\r?\n/).slice(1)
  .filter((line) => line.trim() !== '')
  .map(parseCsvLine)
  .map(([index, mid, name]) => ({ index: Number(index), mid, name }));

const nodes = JSON.parse(readFileSync(ontologyFile, 'utf8'));
const byId = new Map(nodes.map((n) => [n.id, n]));
// The first parent listed in the ontology is taken when a class has several.
const parentOf = new Map();
for (const node of nodes) {
  for (const child of node.child_ids ?? []) {
    if (!parentOf.has(child)) parentOf.set(child, node.id);
  }
}

function ancestors(mid) {
  const path = [];
  const seen = new Set([mid]);
  let current = parentOf.get(mid);
  while (current && !seen.has(current)) {
    seen.add(current);
    path.push(byId.get(current)?.name ?? current);
    current = parentOf.get(current);
  }
  return path;
}

const paths = {};
for (const c of classes) paths[c.name] = ancestors(c.mid);

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(paths) + '\n');
const names = [];
for (const c of classes) names[c.index] = c.name;
writeFileSync(namesFile, JSON.stringify(names) + '\n');
console.log(`wrote ${Object.keys(paths).length} class paths to ${outFile}`);
