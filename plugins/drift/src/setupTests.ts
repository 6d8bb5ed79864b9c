import '@testing-library/jest-dom';

// jsdom has no layout: recharts' ResponsiveContainer only needs the observer to exist.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;
