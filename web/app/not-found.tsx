import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl rounded-xl bg-slate-900 p-6">
      <h1 className="text-lg font-semibold text-white">This page does not exist.</h1>
      <p className="mt-2 text-sm text-slate-300"><Link href="/" className="text-sky-300 underline">Analyse a sound</Link> or open the <Link href="/history/" className="text-sky-300 underline">history</Link>.</p>
    </div>
  );
}
