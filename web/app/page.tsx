import { Suspense } from 'react';

import HomeView from '@/components/viewer/HomeView';

export default function HomePage() {
  return (
    <Suspense fallback={<p className="text-slate-300">Loading…</p>}>
      <HomeView />
    </Suspense>
  );
}
