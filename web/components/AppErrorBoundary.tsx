'use client';
// Last line of defence: a rendering failure shows a message and a way back,
// never a blank page or a stack trace.
import { Component, type ErrorInfo, type ReactNode } from 'react';

import CrashNotice from './CrashNotice';

interface State {
  failed: boolean;
}

export default class AppErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('soundlens page error', error, info.componentStack);
  }

  render() {
    if (this.state.failed) return <CrashNotice onRetry={() => this.setState({ failed: false })} />;
    return this.props.children;
  }
}
