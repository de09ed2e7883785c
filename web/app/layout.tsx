import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';

import DecisionNotice from '@/components/common/DecisionNotice';
import SessionGate from '@/components/common/SessionGate';
import SiteHeader from '@/components/common/SiteHeader';

import './globals.css';

export const metadata: Metadata = {
  title: 'soundlens: sound classification you can check',
  description: 'Classifies sound into the 527 AudioSet classes and shows, with Grad-CAM, which moments and frequencies each prediction used.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#020617' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="mx-auto w-full max-w-7xl px-3 pb-16 pt-6 sm:px-6">
          <SessionGate>{children}</SessionGate>
        </main>
        <DecisionNotice />
      </body>
    </html>
  );
}
