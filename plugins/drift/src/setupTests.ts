import '@testing-library/jest-dom';

// jsdom has no layout: recharts' ResponsiveContainer only needs the observer to exist.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;

// Rendering whole pages (material-table, recharts) takes seconds on a busy CI machine.
jest.setTimeout(30_000);
