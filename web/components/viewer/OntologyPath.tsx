// "Cough › Respiratory sounds › Human sounds": the class and its ancestors.
export default function OntologyPath({ label, ancestors }: { label: string; ancestors: string[] | undefined }) {
  if (!ancestors || ancestors.length === 0) return null;
  return (
    <p className="truncate text-xs text-slate-400" title={[label, ...ancestors].join(' › ')}>
      <span className="sr-only">Place in the AudioSet ontology: </span>
      {[label, ...ancestors].join(' › ')}
    </p>
  );
}
