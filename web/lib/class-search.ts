// Searching the 527 AudioSet classes by name or by a group of the ontology
// ("respiratory" finds Cough, Sneeze, Wheeze, Snoring, Breathing...). The
// tables are generated (scripts/build-ontology.mjs) and loaded lazily.
import { loadOntologyPaths, type OntologyPaths } from './ontology';

export interface ClassEntry {
  index: number;
  name: string;
  /** Ancestors, nearest first. */
  path: string[];
}

let cache: Promise<ClassEntry[]> | null = null;

export function loadClasses(): Promise<ClassEntry[]> {
  cache ??= Promise.all([
    import('./generated/class-names.json').then((m) => (m.default ?? m) as unknown as string[]),
    loadOntologyPaths(),
  ]).then(([names, paths]: [string[], OntologyPaths]) => names.map((name, index) => ({ index, name, path: paths[name] ?? [] })));
  return cache;
}

export interface ClassGroup {
  group: string;
  classes: ClassEntry[];
}

/** Matches grouped by their nearest ontology group, groups in order of their best match. */
export function searchClasses(all: ClassEntry[], query: string, limit = 80): ClassGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const scored: { entry: ClassEntry; score: number; group: string }[] = [];
  for (const entry of all) {
    const name = entry.name.toLowerCase();
    const path = entry.path.map((p) => p.toLowerCase());
    let score = 0;
    // A class found through an ancestor is listed under that ancestor ("respiratory" puts Wheeze, a kind of
    // Breathing, under Respiratory sounds); one found by its own name under its nearest group.
    let group = entry.path[0] ?? 'Top level';
    for (const word of words) {
      const ancestor = path.findIndex((p) => p.includes(word));
      if (name.startsWith(word)) score += 3;
      else if (name.includes(word)) score += 2;
      else if (ancestor >= 0) {
        score += 1;
        group = entry.path[ancestor]!;
      } else {
        score = 0;
        break;
      }
    }
    if (score > 0) scored.push({ entry, score, group });
  }
  scored.sort((a, b) => b.score - a.score || a.entry.index - b.entry.index);
  const groups = new Map<string, ClassEntry[]>();
  for (const { entry, group } of scored.slice(0, limit)) {
    groups.set(group, [...(groups.get(group) ?? []), entry]);
  }
  return [...groups.entries()].map(([group, classes]) => ({ group, classes }));
}
