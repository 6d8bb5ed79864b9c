import type { SignalApi } from '@backstage/plugin-signals-react';
import { act } from '@testing-library/react';

type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** A signal API whose messages a test publishes itself. */
export function createSignalApiFake() {
  const listeners = new Map<string, Set<(message: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = listeners.get(channel) ?? new Set();
      const listener = onMessage as (message: JsonObject) => void;
      set.add(listener);
      listeners.set(channel, set);
      return { unsubscribe: () => set.delete(listener) };
    },
  };
  return {
    api,
    /** Delivers a message to the channel's subscribers, as the signals plugin would. */
    publish(channel: string, message: JsonObject) {
      act(() => {
        listeners.get(channel)?.forEach(listener => listener(message));
      });
    },
    subscribers: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
}
