// Where a class sits in the AudioSet ontology, from the generated table
// (scripts/build-ontology.mjs). Loaded lazily so it stays out of the first load.
import { useEffect, useState } from 'react';

export type OntologyPaths = Record<string, string[]>;

let cache: Promise<OntologyPaths> | null = null;

export function loadOntologyPaths(): Promise<OntologyPaths> {
  cache ??= import('./generated/ontology-paths.json')
    .then((module) => (module.default ?? module) as OntologyPaths)
    .catch(() => ({}));
  return cache;
}

/** The ontology table once loaded; an empty table until then or on failure. */
export function useOntologyPaths(): OntologyPaths {
  const [paths, setPaths] = useState<OntologyPaths>({});
  useEffect(() => {
    let live = true;
    void loadOntologyPaths().then((loaded) => {
      if (live) setPaths(loaded);
    });
    return () => {
      live = false;
    };
  }, []);
  return paths;
}
